'use strict';
// One side of a paired run, started pinned to a core by run.ts:
//   node serve.js verifier <verifier dir> <config.json>   the verifier as deployed (its log lines on stdout)
//   node serve.js floor <answer.json>                     a bare node:http server giving the same answer
// Prints {"port": N} as its first line, then serves until killed.
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const [mode, ...args] = process.argv.slice(2);
let server;
if (mode === 'verifier') {
  const { createServer } = require(path.resolve(args[0], 'server.js'));
  const config = JSON.parse(fs.readFileSync(args[1], 'utf8'));
  server = createServer(config, { insecureLoopbackEndpoints: true });
} else if (mode === 'floor') {
  // The same status and headers the verifier answers, with none of its work: the cost of HTTP alone.
  const answer = JSON.parse(fs.readFileSync(args[0], 'utf8'));
  server = http.createServer({ maxHeaderSize: 65536 }, (req, res) => {
    res.statusCode = answer.status;
    res.setHeader('Cache-Control', 'no-store');
    for (const [name, value] of answer.headers) res.setHeader(name, value);
    res.setHeader('Content-Length', Buffer.byteLength(answer.body));
    res.end(answer.body);
  });
} else {
  process.stderr.write('usage: node serve.js verifier <dir> <config.json> | floor <answer.json>\n');
  process.exit(2);
}
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
