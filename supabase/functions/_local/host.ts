// Runs one edge function under Deno for the local stack and tests:
//   deno run --config supabase/functions/deno.json <perms> supabase/functions/_local/host.ts supabase/functions/<name>/index.ts
// (scripts/stack/deno.ts builds that command). Local only: never deployed
// as a function (no index.ts), and nothing imports it.
// The function's own `Deno.serve(handler)` is kept as written; this host
// only decides where it listens (FUNCTION_PORT, default any free port on
// 127.0.0.1) and prints "function <name> listening on <port>".
// This file runs under Deno, not Node.
const entry = Deno.args[0];
if (!entry) {
  console.error('usage: function-host.ts <path to supabase/functions/<name>/index.ts>');
  Deno.exit(2);
}
const fnName = Deno.env.get('FUNCTION_NAME') ?? entry.split('/').slice(-2, -1)[0];
const port = Number(Deno.env.get('FUNCTION_PORT') ?? 0);
const realServe = Deno.serve.bind(Deno);

// deno-lint-ignore no-explicit-any
(Deno as any).serve = (a: any, b?: any) => {
  let options: Record<string, unknown> = {};
  let handler: Deno.ServeHandler;
  if (typeof a === 'function') handler = a;
  else if (typeof b === 'function') [options, handler] = [a, b];
  else [options, handler] = [a, a.handler];
  const { handler: _ignored, ...rest } = options;
  return realServe(
    {
      ...rest,
      port,
      hostname: '127.0.0.1',
      onListen: (addr: Deno.NetAddr) => console.log(`function ${fnName} listening on ${addr.port}`),
    },
    handler,
  );
};

const url = new URL(entry, `file://${Deno.cwd()}/`);
await import(url.href);
