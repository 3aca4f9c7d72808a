// Checks a launch with the Provider of the npm package ims-lti (a peer
// library ltiforge did not write).
//
// Usage:
//   node provider.js <launch-url> <consumer-key> <consumer-secret> < params.json
//
// params.json is a JSON object of the posted form fields, each value a
// string or an array of strings (a repeated field), including the oauth_*
// fields. The script builds the request object ims-lti reads (protocol,
// Host header, url, method, body, as Express would present it to a tool at
// <launch-url>) and prints {"valid": true} or {"valid": false, "error": "..."}.
// It exits 0 whenever it could run the check, and 2 on bad usage or input.
'use strict';

const url = require('url');
const lti = require('ims-lti');

function fail(msg) {
  process.stderr.write('provider.js: ' + msg + '\n' +
    'usage: node provider.js LAUNCH_URL KEY SECRET < params.json\n');
  process.exit(2);
}

const [launchURL, key, secret] = process.argv.slice(2);
if (!launchURL || !key || secret === undefined) {
  fail('missing arguments');
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  let body;
  try {
    body = JSON.parse(input);
  } catch (e) {
    fail('stdin is not JSON: ' + e.message);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    fail('stdin must hold a JSON object');
  }

  const u = url.parse(launchURL);
  const protocol = u.protocol.replace(/:$/, '');
  // A browser leaves the default port out of the Host header; ims-lti uses
  // the header as it is when it rebuilds the signed URL.
  let host = u.host;
  if ((protocol === 'http' && u.port === '80') || (protocol === 'https' && u.port === '443')) {
    host = u.hostname;
  }
  const path = u.path || '/';
  const req = {
    protocol: protocol,
    method: 'POST',
    url: path,
    originalUrl: path,
    headers: {
      host: host,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: body,
  };

  const provider = new lti.Provider(key, secret);
  provider.valid_request(req, (err, valid) => {
    const out = { valid: valid === true };
    if (err) {
      out.error = String(err.message || err);
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  });
});
