/**
 * Command-line words → positional arguments and `--name value` / `--name=value` / `--name` flags.
 * Names in `booleans` never take the next word as their value.
 */
export type Flags = Record<string, string | true>;

export function parseCliArgs(args: string[], booleans: string[] = []): { positional: string[]; flags: Flags } {
  const positional: string[] = [];
  const flags: Flags = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) flags[name] = inline;
    else if (i + 1 < args.length && !args[i + 1]!.startsWith('--') && !booleans.includes(name)) flags[name] = args[++i]!;
    else flags[name] = true;
  }
  return { positional, flags };
}

/** A flag's value when it was given one. */
export function flagValue(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}
