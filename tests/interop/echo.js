'use strict';
// Calls every method of the transport's test-only Echo service (tests/AviOrleans.Grpc.Tests/Protos/echo.proto)
// and checks results, status codes, details, deadlines, cancellation, streaming and gzip.
// expect: { cancelProbe: "name", deadlineProbe: "name" } - probe names the xunit test checks on the server.
const h = require('./lib/harness');

const SERVICE = 'aviorleans.test.echo.Echo';

h.run(async () => {
  const cfg = h.config();
  const pkg = h.loadProtos(cfg);
  const echo = h.client(pkg, SERVICE, cfg);
  const md = (extra) => h.metadata(cfg, extra);

  // Unary, metadata both ways.
  const said = h.expectOk('unary Say', await h.unary(echo, 'Say', { text: 'héllo ✓' }, md({ 'x-echo': 'from node' })));
  h.check('unary text round-trips', said.text === 'héllo ✓', () => JSON.stringify(said));
  h.check('request metadata reaches the handler', said.header === 'from node', () => JSON.stringify(said));

  // Server streaming.
  const counted = await h.collect(echo.Count({ count: 1000 }, md()));
  h.check('server streaming ends OK', !counted.error, () => String(counted.error));
  h.check('server streaming delivers 1..1000 in order',
    counted.messages.length === 1000 && counted.messages.every((m, i) => m.value === i + 1),
    () => `got ${counted.messages.length} messages`);
  const none = await h.collect(echo.Count({ count: 0 }, md()));
  h.check('empty stream ends OK', !none.error && none.messages.length === 0, () => String(none.error));

  // Errors and their details.
  const detail = "vs 'web' not found: naïve ✓ 100%, a/b?c#d";
  const notFound = h.expectCode('RpcException NOT_FOUND', await h.unary(echo, 'Fail', { kind: 'rpc', detail }, md()), h.grpc.status.NOT_FOUND, detail);
  h.check('custom trailer kept on error', notFound.metadata.get('x-trailer')[0] === 'kept', () => JSON.stringify(notFound.metadata.getMap()));
  const invalid = h.expectCode('mapped validation error', await h.unary(echo, 'Fail', { kind: 'validation', detail: 'must be HA_MODE_SHARED' }, md()),
    h.grpc.status.INVALID_ARGUMENT, 'ha_mode: must be HA_MODE_SHARED');
  const details = h.statusDetails(invalid);
  h.check('grpc-status-details-bin is a google.rpc.Status', details && details.code === 3 && details.message === 'ha_mode: must be HA_MODE_SHARED', () => JSON.stringify(details));
  h.check('BadRequest names the field', details.badRequest.length === 1 && details.badRequest[0].field === 'ha_mode'
    && details.badRequest[0].description === 'must be HA_MODE_SHARED', () => JSON.stringify(details.badRequest));
  h.expectCode('unmapped exception is UNKNOWN without detail', await h.unary(echo, 'Fail', { kind: 'crash' }, md()), h.grpc.status.UNKNOWN, 'Exception was thrown by handler.');
  h.expectCode('status set by handler', await h.unary(echo, 'Fail', { kind: 'status', detail: 'conflict' }, md()), h.grpc.status.ABORTED, 'conflict');

  // Deadline: the server's handler must see its token fire (the xunit test checks the probe).
  h.expectCode('deadline', await h.unary(echo, 'Slow', { delay_ms: 60000, probe: cfg.expect.deadlineProbe }, md(), { deadline: h.deadlineIn(300) }),
    h.grpc.status.DEADLINE_EXCEEDED);

  // Cancellation after the first streamed message: the handler is certainly running.
  const cancelled = await h.collect(echo.SlowStream({ delay_ms: 60000, probe: cfg.expect.cancelProbe }, md()), (m, stream) => stream.cancel());
  h.check('cancel gets CANCELLED', cancelled.error && cancelled.error.code === h.grpc.status.CANCELLED, () => String(cancelled.error));
  h.check('first message arrived before cancel', cancelled.messages.length === 1 && cancelled.messages[0].value === 1);

  // Unknown method and service.
  h.expectCode('declared method without handler', await h.unary(echo, 'NotThere', {}, md()), h.grpc.status.UNIMPLEMENTED, 'Method is unimplemented.');
  const generic = new h.grpc.Client(cfg.target, h.credentials(cfg), cfg.tls && cfg.tls.serverName ? { 'grpc.ssl_target_name_override': cfg.tls.serverName } : {});
  const unknownService = await new Promise((resolve) => generic.makeUnaryRequest('/no.such.Service/Method', (x) => x, (x) => x, Buffer.alloc(0), md(),
    (error, response) => resolve({ error, response })));
  h.expectCode('unknown service', unknownService, h.grpc.status.UNIMPLEMENTED, 'Service is unimplemented.');
  generic.close();

  // Sizes: 3 MB fits the default 4 MiB limits; 5 MB does not.
  const big = h.expectOk('3 MB response', await h.unary(echo, 'Big', { size: 3 * 1024 * 1024 }, md()));
  h.check('3 MB payload intact', big.payload.length === 3 * 1024 * 1024 && big.payload[250] === 250);
  h.expectCode('5 MB response is RESOURCE_EXHAUSTED', await h.unary(echo, 'Big', { size: 5 * 1024 * 1024 }, md()), h.grpc.status.RESOURCE_EXHAUSTED);
  h.expectCode('5 MB request is RESOURCE_EXHAUSTED', await h.unary(echo, 'Say', { payload: Buffer.alloc(5 * 1024 * 1024) }, md()), h.grpc.status.RESOURCE_EXHAUSTED);

  // gzip, as grpc-js sends it.
  const zipped = h.client(pkg, SERVICE, cfg, { 'grpc.default_compression_algorithm': 2 });
  const z = h.expectOk('gzip request', await h.unary(zipped, 'Say', { text: 'zipped', payload: Buffer.alloc(100000, 7) }, md()));
  h.check('server saw grpc-encoding gzip', z.request_encoding === 'gzip' && z.payload_size === 100000, () => JSON.stringify({ ...z, payload: undefined }));
  const zbig = h.expectOk('gzip response', await h.unary(zipped, 'Big', { size: 200000 }, md()));
  h.check('gzip response payload intact', zbig.payload.length === 200000 && zbig.payload[1000] === 1000 % 251);
  zipped.close();

  // Client streaming and duplex.
  const sum = await new Promise((resolve) => {
    const call = echo.Sum(md(), (error, response) => resolve({ error, response }));
    for (let i = 1; i <= 10; i++) call.write({ value: i });
    call.end();
  });
  h.check('client streaming sums 1..10', !sum.error && sum.response.value === 55, () => String(sum.error));
  const chat = echo.Chat(md());
  const chatDone = h.collect(chat);
  chat.write({ text: 'a' });
  chat.write({ text: 'b' });
  chat.end();
  const chatted = await chatDone;
  h.check('duplex answers each message', !chatted.error && chatted.messages.map((m) => m.text).join() === 're: a,re: b', () => String(chatted.error));

  echo.close();
});
