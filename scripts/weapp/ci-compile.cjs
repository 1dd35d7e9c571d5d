// miniprogram-ci's local compile (getCompiledResult) of a built weapp, with
// stand-in project attributes (WeChat's defaults, as miniprogram-ci ships
// them) and a throwaway key: nothing here needs or reaches a server.
//   node --require ./no-network.cjs ci-compile.cjs <projectDir> <privateKey.pem> <zipOut>
// Prints one JSON line {files:[...]} or {error}; always exits.
const ci = require('miniprogram-ci');
const { DefaultProjectAttr } = require('miniprogram-ci/dist/config/config.js');

const [projectPath, privateKeyPath, zipOut] = process.argv.slice(2);
(async () => {
  const project = new ci.Project({ appid: 'wx0000000000000000', type: 'miniProgram', projectPath, privateKeyPath, ignores: ['node_modules/**/*'] });
  project.attr = async () => DefaultProjectAttr; // else it asks servicewechat.com for the appid's attributes
  const res = await ci.getCompiledResult(
    { project, setting: { es6: false, minify: false, minifyWXML: false, minifyWXSS: false, codeProtect: false, autoPrefixWXSS: false }, onProgressUpdate: () => {} },
    zipOut,
  );
  process.stdout.write(`${JSON.stringify({ files: Object.keys(res).sort() })}\n`);
  process.exit(0);
})().catch((e) => {
  process.stdout.write(`${JSON.stringify({ error: String((e && e.message) || e).slice(0, 4000) })}\n`);
  process.exit(1);
});
