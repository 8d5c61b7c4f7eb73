export type MigrateArgs = { name: string; allowDataLoss: boolean };

const NAME = /^[a-z0-9][a-z0-9_]{0,79}$/;

export class UsageError extends Error {}

function suggestion(raw: string): string {
  const slug = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 80);
  return slug === '' ? 'add_orders_index' : slug;
}

/** Parses `--name <x>` / `--name=<x>` and `--allow-data-loss`. */
export function parseMigrateArgs(argv: readonly string[]): MigrateArgs {
  let name: string | undefined;
  let allowDataLoss = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--allow-data-loss') allowDataLoss = true;
    else if (arg === '--name') name = argv[++i];
    else if (arg.startsWith('--name=')) name = arg.slice('--name='.length);
    else throw new UsageError(`unknown argument ${JSON.stringify(arg)}. Usage: npm run db:migrate -- --name <name> [--allow-data-loss]`);
  }
  if (name === undefined || name === '' || name.startsWith('--')) {
    throw new UsageError('a migration name is required: npm run db:migrate -- --name <name>  (e.g. --name add_order_notes)');
  }
  if (!NAME.test(name)) {
    throw new UsageError(
      `invalid migration name ${JSON.stringify(name)}: use lower-case letters, digits and _ (at most 80), ` +
        `starting with a letter or digit — e.g. --name ${suggestion(name)}`,
    );
  }
  return { name, allowDataLoss };
}
