/**
 * Reads the one step of `examples/github_actions_webhook.yml`: its `shell`, its `env`
 * (plain scalars and single-quoted strings) and its `run: |` block, as GitHub would.
 * Enough YAML for that file; anything else in it is an error, not a guess.
 */

/** A GitHub Actions step: what runs, and with which environment. */
export interface ActionsStep {
  shell: string;
  env: Record<string, string>;
  run: string;
}

/** Parses the step list of one step that the example file holds. */
export function parseActionsStep(yaml: string): ActionsStep {
  const lines = yaml.split("\n").filter((line) => line.trim() && !line.trimStart().startsWith("#"));
  const step: ActionsStep = { shell: "", env: {}, run: "" };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("- name: ")) continue;
    if (line.startsWith("  shell: ")) step.shell = line.slice(9);
    else if (line === "  env:") {
      while (lines[i + 1]?.startsWith("    ")) {
        const [, key, value] = lines[++i]!.match(/^ {4}([A-Z_]+): (.*)$/) ?? [];
        if (!key || value === undefined) throw new Error(`Unexpected env line: ${lines[i]}`);
        step.env[key] = scalar(value);
      }
    } else if (line === "  run: |") {
      const body: string[] = [];
      while (lines[i + 1]?.startsWith("    ")) body.push(lines[++i]!.slice(4));
      step.run = body.join("\n") + "\n";
    } else throw new Error(`Unexpected line in the step: ${line}`);
  }
  return step;
}

function scalar(value: string): string {
  if (value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replaceAll("''", "'");
  return value;
}
