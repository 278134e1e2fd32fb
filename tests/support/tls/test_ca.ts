/**
 * A certificate authority made for the tests, and a leaf it signs for `127.0.0.1` and
 * `localhost`: what a TLS site needs to be trusted by a client that is told of the CA
 * (`DENO_CERT`, `Deno.createHttpClient({ caCerts })`, workerd's TLS options). The CA and
 * the leaf are two certificates because rustls refuses a self-signed CA certificate used
 * as the server's own. Made with `openssl`, once per process, in a temporary folder.
 *
 * @module
 */

/** The test CA and its leaf, as PEM text and as files. */
export interface TestCertificates {
  /** The CA's certificate (PEM): what a client trusts. */
  caPem: string;
  /** The same, as a file (for `DENO_CERT` or `NODE_EXTRA_CA_CERTS`). */
  caFile: string;
  /** The leaf's certificate (PEM), for `127.0.0.1` and `localhost`. */
  certPem: string;
  /** The leaf's private key (PEM). */
  keyPem: string;
  /** The folder holding every file above. */
  dir: string;
}

let made: Promise<TestCertificates> | undefined;

/**
 * The process's test CA and leaf, made on first call (a few ms of `openssl`).
 *
 * @example
 * ```ts ignore
 * import { testCertificates } from "./test_ca.ts";
 * const { caPem, certPem, keyPem } = await testCertificates();
 * ```
 */
export function testCertificates(): Promise<TestCertificates> {
  made ??= makeCertificates(certificatesDir());
  return made;
}

// The system's temporary folder, else (a test run allowed to write only in the project, as
// `deno task test` is) the project's ignored `tests/artifacts/`.
function certificatesDir(): string {
  const prefix = "mwai-test-ca-";
  try {
    return Deno.makeTempDirSync({ prefix });
  } catch (error) {
    if (
      !(error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied)
    ) {
      throw error;
    }
    const artifacts = new URL("../../artifacts/", import.meta.url).pathname;
    Deno.mkdirSync(artifacts, { recursive: true });
    return Deno.makeTempDirSync({ dir: artifacts, prefix });
  }
}

/** Makes a CA and a leaf in `dir` (a folder that exists). */
export async function makeCertificates(dir: string): Promise<TestCertificates> {
  const at = (name: string) => `${dir}/${name}`;
  await openssl(
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
    ["-keyout", at("ca.key"), "-out", at("ca.pem"), "-days", "3650"],
    ["-subj", "/CN=mwai-edge test CA", "-addext", "basicConstraints=critical,CA:TRUE"],
    ["-addext", "keyUsage=critical,keyCertSign,cRLSign"],
  );
  await openssl(
    ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
    ["-keyout", at("leaf.key"), "-out", at("leaf.csr"), "-subj", "/CN=127.0.0.1"],
  );
  await Deno.writeTextFile(
    at("leaf.ext"),
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
      "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost",
      "",
    ].join("\n"),
  );
  await openssl(
    ["x509", "-req", "-in", at("leaf.csr"), "-CA", at("ca.pem"), "-CAkey", at("ca.key")],
    ["-CAcreateserial", "-out", at("leaf.pem"), "-days", "3650", "-extfile", at("leaf.ext")],
  );
  return {
    caPem: await Deno.readTextFile(at("ca.pem")),
    caFile: at("ca.pem"),
    certPem: await Deno.readTextFile(at("leaf.pem")),
    keyPem: await Deno.readTextFile(at("leaf.key")),
    dir,
  };
}

async function openssl(...args: string[][]): Promise<void> {
  const { code, stderr } = await new Deno.Command("openssl", {
    args: args.flat(),
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`openssl ${args[0]?.[0]} failed: ${new TextDecoder().decode(stderr).trim()}`);
  }
}

/** The folder `deno task test:tls` made its CA in: the contract suite then serves TLS. */
const TLS_DIR_VARIABLE = "MWAI_TEST_TLS_DIR";

/**
 * The site's certificate when the suite runs over TLS (`MWAI_TEST_TLS_DIR` names a folder
 * made by `make_test_ca.ts`, whose CA the runtimes were told to trust before they started:
 * `DENO_CERT`, `NODE_EXTRA_CA_CERTS` for wrangler's workerd); else undefined (plain HTTP).
 *
 * @example
 * ```ts ignore
 * import { suiteCertificate } from "./test_ca.ts";
 * const site = await AiEngineEmulator.start({}, await suiteCertificate());
 * ```
 */
export async function suiteCertificate(): Promise<{ certPem: string; keyPem: string } | undefined> {
  const dir = Deno.env.get(TLS_DIR_VARIABLE);
  if (!dir) return undefined;
  return {
    certPem: await Deno.readTextFile(`${dir}/leaf.pem`),
    keyPem: await Deno.readTextFile(`${dir}/leaf.key`),
  };
}
