// `npm run operator -- create NAME --role admin|finance|support [--password P] [--display-name N]`
// creates (or updates: role, name, password) an operator account of the
// console. Without --password a random one is generated and printed once.
// DATABASE_URL (default the local stack's PGlite on 54322) names the database.
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import postgres from 'postgres';
import { OPERATOR_ROLES, type OperatorRole } from '../supabase/functions/_shared/admin-contract.ts';

export interface OperatorInput {
  login: string;
  name: string;
  role: OperatorRole;
  password: string;
}

/** Same cost as the admin function uses for password changes. */
const ROUNDS = 10;

/** Creates or updates the account (ops.upsert_operator); returns its id. */
export async function createOperator(sql: postgres.Sql, o: OperatorInput): Promise<string> {
  if (o.password.length < 8) throw new Error('password: at least 8 characters');
  const hash = await bcrypt.hash(o.password, ROUNDS);
  const [{ id }] = await sql`select ops.upsert_operator(${o.login}, ${o.name}, ${o.role}, ${hash}, true)::text as id`;
  return id;
}

/** The demo data's operators, one per role (npm start prints the first). */
export const DEMO_OPERATORS: OperatorInput[] = [
  { login: 'admin', name: '演示管理员', role: 'admin', password: 'admin123' },
  { login: 'finance', name: '演示财务', role: 'finance', password: 'finance123' },
  { login: 'support', name: '演示客服', role: 'support', password: 'support123' },
];

function usage(): never {
  console.error('usage: npm run operator -- create NAME --role admin|finance|support [--password P] [--display-name N]');
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const [cmd, login, ...rest] = argv;
  if (cmd !== 'create' || !login) usage();
  const opt = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const role = opt('role') as OperatorRole | undefined;
  if (!role || !OPERATOR_ROLES.includes(role)) usage();
  const generated = !opt('password');
  const password = opt('password') ?? randomBytes(9).toString('base64url');
  const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:54322/postgres';
  const sql = postgres(url, { prepare: false, max: 1, onnotice: () => {} });
  try {
    const id = await createOperator(sql, { login, name: opt('display-name') ?? login, role, password });
    console.log(`operator ${login} (${role}) ${id}`);
    if (generated) console.log(`password: ${password}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`operator: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
