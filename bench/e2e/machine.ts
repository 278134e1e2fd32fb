/**
 * The machine a bench ran on, for the report: figures mean little without it.
 *
 * @module
 */

/** CPU, cores, OS, runtime and load. */
export interface MachineFacts {
  cpu: string;
  cores: number;
  os: string;
  deno: string;
  v8: string;
  date: string;
  loadBefore: string;
  loadAfter: string;
}

/** Reads what it can; a fact it cannot read is "unknown". */
export async function machineFacts(): Promise<MachineFacts> {
  const cpuinfo = await readOr("/proc/cpuinfo");
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown CPU",
    cores: navigator.hardwareConcurrency,
    os: `${Deno.build.os} ${Deno.build.arch}`,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    loadBefore: await loadAverage(),
    loadAfter: "",
  };
}

/** The 1-minute load average, from /proc/loadavg. */
export async function loadAverage(): Promise<string> {
  return (await readOr("/proc/loadavg")).split(" ")[0] || "unknown";
}

// Deno grants /proc only with every permission; `cat` reads it under --allow-run.
async function readOr(path: string): Promise<string> {
  try {
    const output = await new Deno.Command("cat", { args: [path], stderr: "null" }).output();
    return new TextDecoder().decode(output.stdout);
  } catch {
    return "";
  }
}
