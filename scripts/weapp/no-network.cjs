// Preloaded into miniprogram-ci's process: every outgoing connection fails at
// once (and the process runs in a network namespace of its own where the
// machine allows it), so the local compile can never reach WeChat.
const net = require('node:net');
const tls = require('node:tls');
const dns = require('node:dns');
const refuse = (what) => () => {
  throw new Error(`no network in the weapp check (${what})`);
};
net.connect = net.createConnection = refuse('net.connect');
tls.connect = refuse('tls.connect');
dns.lookup = (host, opts, cb) => (typeof opts === 'function' ? opts : cb)(Object.assign(new Error(`no network in the weapp check (lookup ${host})`), { code: 'ENOTFOUND' }));
