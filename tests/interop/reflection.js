'use strict';
// A reflection client in the manner of grpcurl: lists the services with
// grpc.reflection.v1.ServerReflection (its .proto as the @grpc/reflection package ships it),
// fetches each service's file with its dependencies, builds a client from those descriptors
// alone (no .proto of the service) and makes the calls the test asks for.
// expect: {
//   version: "v1" | "v1alpha",                               // default v1
//   services: ["pkg.Service", ...],                          // must all be listed
//   calls: [{ service, method, request, expect: {field: value} }]  // unary calls via reflected types
// }
const path = require('path');
const h = require('./lib/harness');

// FileDescriptorSet { repeated FileDescriptorProto file = 1; } from serialized files.
function fileDescriptorSet(files) {
  const parts = [];
  for (const file of files) {
    const header = [0x0a];
    let n = file.length;
    while (n > 0x7f) { header.push((n & 0x7f) | 0x80); n >>>= 7; }
    header.push(n);
    parts.push(Buffer.from(header), Buffer.from(file));
  }
  return Buffer.concat(parts);
}

function partialMatch(actual, expected) {
  return Object.entries(expected).every(([k, v]) => JSON.stringify(actual[k]) === JSON.stringify(v));
}

h.run(async () => {
  const cfg = h.config();
  const version = (cfg.expect && cfg.expect.version) || 'v1';
  const protoRoot = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');
  const pkg = h.loadProtos({ ...cfg, protoRoots: [protoRoot] }, [`grpc/reflection/${version}/reflection.proto`]);
  const reflection = h.client(pkg, `grpc.reflection.${version}.ServerReflection`, cfg);
  const stream = reflection.ServerReflectionInfo(h.metadata(cfg));
  const pending = [];
  stream.on('data', (response) => { const next = pending.shift(); if (next) next.resolve(response); });
  stream.on('error', (e) => { for (const p of pending.splice(0)) p.reject(e); });
  const ask = (request) => new Promise((resolve, reject) => { pending.push({ resolve, reject }); stream.write(request); });

  const listed = await ask({ list_services: '*' });
  const names = listed.list_services_response.service.map((s) => s.name);
  h.check(`${version} list_services answers`, names.length > 0, () => JSON.stringify(listed));
  for (const service of cfg.expect.services || []) {
    h.check(`lists ${service}`, names.includes(service), () => names.join(', '));
  }

  const files = new Map();
  for (const service of cfg.expect.services || []) {
    const answer = await ask({ file_containing_symbol: service });
    h.check(`file_containing_symbol ${service}`, answer.message_response === 'file_descriptor_response',
      () => JSON.stringify(answer.error_response));
    for (const file of answer.file_descriptor_response.file_descriptor_proto) {
      files.set(Buffer.from(file).toString('base64'), file);
    }
  }
  const missing = await ask({ file_containing_symbol: 'no.such.Symbol' });
  h.check('unknown symbol is NOT_FOUND', missing.error_response && missing.error_response.error_code === h.grpc.status.NOT_FOUND,
    () => JSON.stringify(missing));
  stream.end();

  // Build clients from the reflected descriptors only, and call.
  const definition = h.protoLoader.loadFileDescriptorSetFromBuffer(fileDescriptorSet([...files.values()]), h.LOADER_OPTIONS);
  const reflected = h.grpc.loadPackageDefinition(definition);
  for (const call of (cfg.expect.calls || [])) {
    const c = h.client(reflected, call.service, cfg);
    const result = h.expectOk(`reflected call ${call.service}/${call.method}`, await h.unary(c, call.method, call.request, h.metadata(cfg)));
    h.check(`reflected call ${call.method} result`, partialMatch(result, call.expect || {}), () => JSON.stringify(result));
    c.close();
  }
  reflection.close();
});
