'use strict';
// A small harness for interop scripts that call an AviOrleans gRPC server from @grpc/grpc-js.
//
// The xunit test that launches a script passes one JSON object in the INTEROP_CONFIG environment
// variable:
//   {
//     "target": "127.0.0.1:5000",          // host:port
//     "tls": { "ca": "/path/cert.pem", "serverName": "localhost" },  // or null for h2c
//     "token": "secret",                    // optional bearer token
//     "protoRoots": ["/repo/protos", ...],  // include paths for proto-loader
//     "protos": ["avi/v1/vs.proto", ...],   // files to load, relative to a root
//     "expect": { ... }                     // whatever the script checks against
//   }
// A script runs its checks inside run(); every check prints one line. The process exits 0 and
// prints "PASS <n> checks" when all passed, or prints "FAIL ..." and exits 1 at the first failure.

const fs = require('fs');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

let checks = 0;

function config() {
  const raw = process.env.INTEROP_CONFIG;
  if (!raw) {
    throw new Error('INTEROP_CONFIG is not set');
  }
  return JSON.parse(raw);
}

function credentials(cfg) {
  if (cfg.tls) {
    return grpc.credentials.createSsl(fs.readFileSync(cfg.tls.ca));
  }
  return grpc.credentials.createInsecure();
}

function loadProtos(cfg, files) {
  const definition = protoLoader.loadSync(files || cfg.protos, { ...LOADER_OPTIONS, includeDirs: cfg.protoRoots });
  return grpc.loadPackageDefinition(definition);
}

// A client for a fully-qualified service name ("pkg.sub.Service") from a loaded package object.
function client(pkg, serviceName, cfg, options) {
  const Ctor = serviceName.split('.').reduce((o, part) => (o ? o[part] : undefined), pkg);
  if (typeof Ctor !== 'function') {
    throw new Error(`service ${serviceName} is not in the loaded protos`);
  }
  const channelOptions = { ...(options || {}) };
  if (cfg.tls && cfg.tls.serverName) {
    // Verify the certificate for this name (and send it as SNI) while connecting to an IP address.
    channelOptions['grpc.ssl_target_name_override'] = cfg.tls.serverName;
  }
  return new Ctor(cfg.target, credentials(cfg), channelOptions);
}

function metadata(cfg, extra) {
  const md = new grpc.Metadata();
  if (cfg.token) {
    md.set('authorization', `Bearer ${cfg.token}`);
  }
  for (const [key, value] of Object.entries(extra || {})) {
    md.set(key, value);
  }
  return md;
}

// Calls a unary method; resolves { response, error, trailers } and never rejects.
function unary(c, method, request, md, callOptions) {
  return new Promise((resolve) => {
    let trailers = null;
    const call = c[method](request, md || new grpc.Metadata(), callOptions || {}, (error, response) => {
      resolve({ response, error, trailers: error ? error.metadata : trailers });
    });
    call.on('status', (status) => { trailers = status.metadata; });
  });
}

// Reads a server stream to its end; resolves { messages, error }.
function collect(stream, onData) {
  return new Promise((resolve) => {
    const messages = [];
    let error = null;
    stream.on('data', (m) => { messages.push(m); if (onData) onData(m, stream); });
    stream.on('error', (e) => { error = e; });
    stream.on('status', () => setImmediate(() => resolve({ messages, error })));
  });
}

function deadlineIn(ms) {
  return new Date(Date.now() + ms);
}

function check(name, condition, detail) {
  checks++;
  if (!condition) {
    throw new Error(`${name}: ${typeof detail === 'function' ? detail() : (detail || 'check failed')}`);
  }
  console.log(`ok ${checks} ${name}`);
}

function expectOk(name, result) {
  check(name, !result.error, () => `expected OK, got ${result.error && result.error.code} ${result.error && result.error.details}`);
  return result.response;
}

function expectCode(name, result, code, details) {
  const error = result.error;
  check(name, error && error.code === code, () => `expected status ${code}, got ${error ? `${error.code} "${error.details}"` : 'OK'}`);
  if (details !== undefined) {
    check(`${name} (details)`, error.details === details, () => `expected details "${details}", got "${error.details}"`);
  }
  return error;
}

// google.rpc.Status and BadRequest, written from googleapis google/rpc/*.proto (field numbers).
const rpcRoot = protobuf.parse(`
  syntax = "proto3";
  package google.rpc;
  message Any { string type_url = 1; bytes value = 2; }
  message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
  message BadRequest {
    message FieldViolation { string field = 1; string description = 2; }
    repeated FieldViolation field_violations = 1;
  }
`, { keepCase: true }).root;

// Decodes grpc-status-details-bin of an error into { code, message, badRequest: [{field, description}] }.
function statusDetails(error) {
  const values = error && error.metadata ? error.metadata.get('grpc-status-details-bin') : [];
  if (!values || values.length === 0) {
    return null;
  }
  const status = rpcRoot.lookupType('google.rpc.Status').decode(values[0]);
  const badRequest = [];
  for (const any of status.details) {
    if (any.type_url.endsWith('/google.rpc.BadRequest')) {
      const br = rpcRoot.lookupType('google.rpc.BadRequest').decode(any.value);
      for (const v of br.field_violations) {
        badRequest.push({ field: v.field, description: v.description });
      }
    }
  }
  return { code: status.code, message: status.message, badRequest };
}

function run(main) {
  const watchdog = setTimeout(() => {
    console.log('FAIL timed out');
    process.exit(1);
  }, Number(process.env.INTEROP_TIMEOUT_MS || 60000));
  main()
    .then(() => {
      clearTimeout(watchdog);
      console.log(`PASS ${checks} checks`);
      process.exit(0);
    })
    .catch((e) => {
      clearTimeout(watchdog);
      console.log(`FAIL ${e && e.stack ? e.stack : e}`);
      process.exit(1);
    });
}

module.exports = {
  grpc, protoLoader, protobuf, LOADER_OPTIONS,
  config, credentials, loadProtos, client, metadata, unary, collect, deadlineIn,
  check, expectOk, expectCode, statusDetails, run,
};
