'use strict';
// Bearer tokens and roles from a grpc-js client. Generic: the test names the calls.
// expect: { calls: [{ service, method, request, token, code }] } - code 0 for OK.
const h = require('./lib/harness');

h.run(async () => {
  const cfg = h.config();
  const pkg = h.loadProtos(cfg);
  for (const call of cfg.expect.calls) {
    const c = h.client(pkg, call.service, cfg);
    const result = await h.unary(c, call.method, call.request || {}, h.metadata({ token: call.token }));
    const name = `${call.service}/${call.method} with ${call.token ? 'token' : 'no token'}`;
    if (call.code === 0) {
      h.expectOk(name, result);
    } else {
      h.expectCode(name, result, call.code);
    }
    c.close();
  }
});
