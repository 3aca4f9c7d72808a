// Drives the OutcomeService of the npm package ims-lti (a peer library
// ltiforge did not write) against an LTI 1.1 Basic Outcomes endpoint.
//
// Usage:
//   node outcomes.js <op> <service-url> <consumer-key> <consumer-secret> <sourcedid> [score] [language]
//
// <op> is replace, read or delete. The script prints one JSON object on
// stdout: {"op": ..., "ok": true|false, "score": <number>, "error": "..."}.
// It exits 0 whenever it could run the operation, whatever the outcome, so
// the caller judges the result from the JSON; it exits 2 on bad usage.
'use strict';

const lti = require('ims-lti');

function usage(msg) {
  process.stderr.write('outcomes.js: ' + msg + '\n' +
    'usage: node outcomes.js replace|read|delete URL KEY SECRET SOURCEDID [SCORE] [LANGUAGE]\n');
  process.exit(2);
}

const [op, serviceURL, key, secret, sourcedID, scoreArg, language] = process.argv.slice(2);
if (!op || !serviceURL || !key || secret === undefined || sourcedID === undefined) {
  usage('missing arguments');
}

const options = {
  consumer_key: key,
  consumer_secret: secret,
  service_url: serviceURL,
  source_did: sourcedID,
};
if (language) {
  options.language = language;
}
const service = new lti.OutcomeService(options);

function report(result) {
  process.stdout.write(JSON.stringify(Object.assign({ op: op }, result)) + '\n');
}

function done(err, value) {
  if (err) {
    report({ ok: false, error: String(err.message || err) });
    return;
  }
  if (op === 'read') {
    report({ ok: true, score: value });
  } else {
    report({ ok: value === true });
  }
}

switch (op) {
  case 'replace': {
    const score = Number(scoreArg);
    if (scoreArg === undefined || Number.isNaN(score)) {
      usage('replace needs a numeric score');
    }
    service.send_replace_result(score, done);
    break;
  }
  case 'read':
    service.send_read_result(done);
    break;
  case 'delete':
    service.send_delete_result(done);
    break;
  default:
    usage('unknown operation ' + JSON.stringify(op));
}
