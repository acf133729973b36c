'use strict';
// grpc.health.v1.Health: Check overall and per service, unknown service, and the first Watch message.
// expect: { services: ["pkg.Service", ...] } - services that must report SERVING.
const path = require('path');
const h = require('./lib/harness');

h.run(async () => {
  const cfg = h.config();
  // grpc/health/v1/health.proto as the grpc-health-check package ships it.
  const pkg = h.loadProtos({ ...cfg, protoRoots: [path.join(path.dirname(require.resolve('grpc-health-check/package.json')), 'proto')] }, ['health/v1/health.proto']);
  const health = h.client(pkg, 'grpc.health.v1.Health', cfg);

  const overall = h.expectOk('Check overall', await h.unary(health, 'Check', { service: '' }));
  h.check('overall SERVING', overall.status === 'SERVING', () => overall.status);
  for (const service of cfg.expect.services || []) {
    const one = h.expectOk(`Check ${service}`, await h.unary(health, 'Check', { service }));
    h.check(`${service} SERVING`, one.status === 'SERVING', () => one.status);
  }
  h.expectCode('Check unknown service', await h.unary(health, 'Check', { service: 'no.such.Service' }), h.grpc.status.NOT_FOUND);

  const watch = health.Watch({ service: '' });
  const first = await new Promise((resolve, reject) => {
    watch.on('data', resolve);
    watch.on('error', (e) => { if (e.code !== h.grpc.status.CANCELLED) reject(e); });
  });
  h.check('Watch sends the current status at once', first.status === 'SERVING', () => first.status);
  watch.cancel();
  health.close();
});
