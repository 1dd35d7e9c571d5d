// Source rules of supabase/migrations that the database cannot show once
// the files have run: bodies are checked when created (an unknown table or
// function in a SQL body fails the build, not the first call).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '..', '..', 'supabase', 'migrations');
const files = readdirSync(DIR).filter((f) => f.endsWith('.sql')).sort();

test('there are migrations', () => {
  expect(files).toEqual(expect.arrayContaining(['0001_foundation.sql', '1000_api_schema.sql']));
});

test('no migration turns check_function_bodies off', () => {
  const offenders = files.filter((f) => /check_function_bodies\s*(=|to)\s*(off|false|0)/i.test(readFileSync(join(DIR, f), 'utf8')));
  expect(offenders).toEqual([]);
});

test('the rule sees a file that does', () => {
  expect(/check_function_bodies\s*(=|to)\s*(off|false|0)/i.test('set local check_function_bodies = off;')).toBe(true);
});
