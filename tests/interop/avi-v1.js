'use strict';
// Calls every method of the public avi.v1 API (protos/avi/v1, loaded directly) with @grpc/grpc-js
// and checks results, status codes and google.rpc error details, then the transport as grpc-js uses it:
// deadlines, cancellation, gzip, message size limits, unknown methods. Runs against a fresh gateway.
// config.token is the admin token; expect: { readerToken } for the role checks.
const h = require('./lib/harness');

const P = 'avi.v1.';

h.run(async () => {
  const cfg = h.config();
  const pkg = h.loadProtos(cfg);
  const groups = h.client(pkg, P + 'ServiceEngineGroupService', cfg);
  const engines = h.client(pkg, P + 'ServiceEngineService', cfg);
  const vips = h.client(pkg, P + 'VsVipService', cfg);
  const services = h.client(pkg, P + 'VirtualServiceService', cfg);
  const ha = h.client(pkg, P + 'HaService', cfg);
  const md = () => h.metadata(cfg);
  const reader = () => h.metadata({ token: cfg.expect.readerToken });
  const none = () => new h.grpc.Metadata();
  const call = (c, m, req, meta) => h.unary(c, m, req, meta || md(), { deadline: h.deadlineIn(20000) });
  const fields = (error) => (h.statusDetails(error) || { badRequest: [] }).badRequest.map((v) => v.field);

  // --- ServiceEngineGroupService ---
  const created = h.expectOk('CreateServiceEngineGroup', await call(groups, 'CreateServiceEngineGroup', {
    service_engine_group: { name: 'pair', ha_mode: 'HA_MODE_LEGACY_ACTIVE_STANDBY', max_se: 2, buffer_se: 0, floating_intf_ip: ['192.0.2.250'] },
  }));
  h.check('created group keeps ha_mode', created.ha_mode === 'HA_MODE_LEGACY_ACTIVE_STANDBY', () => JSON.stringify(created));
  h.check('unset optional fields come back as Avi defaults', created.max_vs_per_se === 10 && created.hm_on_standby === true && created.algo === 'PLACEMENT_ALGO_PACKED',
    () => JSON.stringify(created));
  const invalid = h.expectCode('invalid group is INVALID_ARGUMENT', await call(groups, 'CreateServiceEngineGroup', {
    service_engine_group: { name: 'bad', max_vs_per_se: 0, max_se: 1001 },
  }), h.grpc.status.INVALID_ARGUMENT);
  h.check('BadRequest names every bad field', fields(invalid).includes('service_engine_group.max_vs_per_se') && fields(invalid).includes('service_engine_group.max_se'),
    () => JSON.stringify(h.statusDetails(invalid)));
  h.check('grpc-message is readable', invalid.details.includes('service_engine_group.max_vs_per_se'), () => invalid.details);
  h.expectCode('duplicate group is ALREADY_EXISTS', await call(groups, 'CreateServiceEngineGroup', { service_engine_group: { name: 'pair' } }), h.grpc.status.ALREADY_EXISTS);
  h.expectOk('CreateServiceEngineGroup (second)', await call(groups, 'CreateServiceEngineGroup', { service_engine_group: { name: 'spare' } }));
  const got = h.expectOk('GetServiceEngineGroup', await call(groups, 'GetServiceEngineGroup', { name: 'pair' }, reader()));
  h.check('Get returns the group', got.name === 'pair' && got.max_se === 2);
  h.expectCode('unknown group is NOT_FOUND', await call(groups, 'GetServiceEngineGroup', { name: 'nope' }), h.grpc.status.NOT_FOUND);
  const page1 = h.expectOk('ListServiceEngineGroups page 1', await call(groups, 'ListServiceEngineGroups', { page_size: 1 }));
  const page2 = h.expectOk('ListServiceEngineGroups page 2', await call(groups, 'ListServiceEngineGroups', { page_size: 1, page_token: page1.next_page_token }));
  h.check('paging walks both groups in order', page1.service_engine_groups[0].name === 'pair' && page2.service_engine_groups[0].name === 'spare'
    && page2.next_page_token === '' && page1.total_size === 2, () => JSON.stringify([page1, page2]));
  h.expectCode('forged page token is INVALID_ARGUMENT', await call(groups, 'ListServiceEngineGroups', { page_size: 1, page_token: 'AQAB' }), h.grpc.status.INVALID_ARGUMENT);
  const updated = h.expectOk('UpdateServiceEngineGroup', await call(groups, 'UpdateServiceEngineGroup', {
    service_engine_group: { name: 'spare', max_vs_per_se: 7, buffer_se: 3 }, update_mask: { paths: ['max_vs_per_se'] },
  }));
  h.check('field mask limits the update', updated.max_vs_per_se === 7 && updated.buffer_se === 1, () => JSON.stringify(updated));
  const badMask = h.expectCode('unknown mask path is INVALID_ARGUMENT', await call(groups, 'UpdateServiceEngineGroup', {
    service_engine_group: { name: 'spare' }, update_mask: { paths: ['no_such_field'] },
  }), h.grpc.status.INVALID_ARGUMENT);
  h.check('mask violation names the path', fields(badMask)[0] === 'update_mask.paths[0]', () => JSON.stringify(h.statusDetails(badMask)));
  h.expectOk('DeleteServiceEngineGroup', await call(groups, 'DeleteServiceEngineGroup', { name: 'spare' }));

  // --- ServiceEngineService ---
  h.expectOk('CreateServiceEngine se-a', await call(engines, 'CreateServiceEngine', { service_engine: { name: 'se-a', se_group_ref: 'pair', host_ref: 'h1' } }));
  h.expectOk('CreateServiceEngine se-b', await call(engines, 'CreateServiceEngine', { service_engine: { name: 'se-b', se_group_ref: 'pair', host_ref: 'h2' } }));
  h.expectCode('third SE of a legacy pair is INVALID_ARGUMENT', await call(engines, 'CreateServiceEngine', { service_engine: { name: 'se-c', se_group_ref: 'pair' } }),
    h.grpc.status.INVALID_ARGUMENT);
  const se = h.expectOk('GetServiceEngine', await call(engines, 'GetServiceEngine', { name: 'se-a' }));
  h.check('SE is enabled and up', se.enable_state === 'SE_STATE_ENABLED' && se.oper_status.state === 'OPER_UP', () => JSON.stringify(se));
  const seList = h.expectOk('ListServiceEngines', await call(engines, 'ListServiceEngines', { se_group_ref: 'pair' }));
  h.check('both SEs listed', seList.service_engines.map((s) => s.name).join() === 'se-a,se-b');
  const seUpdated = h.expectOk('UpdateServiceEngine', await call(engines, 'UpdateServiceEngine', {
    service_engine: { name: 'se-b', host_ref: 'h3' }, update_mask: { paths: ['host_ref'] },
  }));
  h.check('host_ref updated', seUpdated.host_ref === 'h3');

  // --- VsVipService ---
  h.expectOk('CreateVsVip', await call(vips, 'CreateVsVip', { vs_vip: { name: 'shared', vip: [{ vip_id: '0', ip_address: '192.0.2.20' }] } }));
  h.check('GetVsVip', h.expectOk('GetVsVip', await call(vips, 'GetVsVip', { name: 'shared' })).vip[0].ip_address === '192.0.2.20');
  h.check('ListVsVips', h.expectOk('ListVsVips', await call(vips, 'ListVsVips', {})).vs_vips.length === 1);
  h.check('UpdateVsVip', h.expectOk('UpdateVsVip', await call(vips, 'UpdateVsVip', {
    vs_vip: { name: 'shared', vip: [{ vip_id: '0', ip_address: '192.0.2.21' }] }, update_mask: { paths: ['vip'] },
  })).vip[0].ip_address === '192.0.2.21');

  // --- VirtualServiceService ---
  const vs = h.expectOk('CreateVirtualService', await call(services, 'CreateVirtualService', {
    virtual_service: { name: 'web', se_group_ref: 'pair', vip: [{ vip_id: '0', ip_address: '192.0.2.10' }] },
  }));
  h.check('virtual service is up', vs.oper_status.state === 'OPER_UP' && vs.enabled === true, () => JSON.stringify(vs));
  h.expectOk('CreateVirtualService on the shared VIP', await call(services, 'CreateVirtualService', { virtual_service: { name: 'web443', se_group_ref: 'pair', vsvip_ref: 'shared' } }));
  const clash = h.expectCode('VIP in use is ALREADY_EXISTS', await call(services, 'CreateVirtualService', {
    virtual_service: { name: 'api', se_group_ref: 'pair', vip: [{ vip_id: '0', ip_address: '192.0.2.10' }] },
  }), h.grpc.status.ALREADY_EXISTS);
  h.check('clash names the VIP field', fields(clash)[0] === 'virtual_service.vip[0].ip_address', () => JSON.stringify(h.statusDetails(clash)));
  const badAddress = h.expectCode('bad address is INVALID_ARGUMENT', await call(services, 'CreateVirtualService', {
    virtual_service: { name: 'api', se_group_ref: 'pair', vip: [{ vip_id: '0', ip_address: 'not-an-ip' }] },
  }), h.grpc.status.INVALID_ARGUMENT);
  h.check('bad address names the VIP field', fields(badAddress).includes('virtual_service.vip[0].ip_address'), () => JSON.stringify(h.statusDetails(badAddress)));
  h.check('GetVirtualService', h.expectOk('GetVirtualService', await call(services, 'GetVirtualService', { name: 'web' }, reader())).name === 'web');
  h.check('ListVirtualServices', h.expectOk('ListVirtualServices', await call(services, 'ListVirtualServices', { se_group_ref: 'pair' })).total_size === 2);
  const vsUpdated = h.expectOk('UpdateVirtualService', await call(services, 'UpdateVirtualService', {
    virtual_service: { name: 'web443', traffic_enabled: false }, update_mask: { paths: ['traffic_enabled'] },
  }));
  h.check('traffic_enabled updated', vsUpdated.traffic_enabled === false);

  // --- HaService: status ---
  const placement = h.expectOk('GetVirtualServicePlacement', await call(ha, 'GetVirtualServicePlacement', { virtual_service_ref: 'web' }, reader()));
  const vip = placement.vip[0];
  h.check('placed active/standby on the pair', placement.state === 'PLACEMENT_STATE_PLACED' && vip.active_se_ref !== '' && vip.standby_se_ref !== ''
    && vip.active_se_ref !== vip.standby_se_ref, () => JSON.stringify(placement));
  h.check('epoch is a positive uint64', BigInt(placement.epoch) > 0n, () => placement.epoch);
  const listed = h.expectOk('ListVirtualServicePlacements', await call(ha, 'ListVirtualServicePlacements', { se_group_ref: 'pair' }));
  h.check('two placements listed', listed.placements.length === 2);
  const status = h.expectOk('GetServiceEngineGroupStatus', await call(ha, 'GetServiceEngineGroupStatus', { se_group_ref: 'pair' }));
  h.check('group status knows the VIP owner', status.addresses.some((a) => a.address === '192.0.2.10' && a.se_ref === vip.active_se_ref && a.kind === 'ADDRESS_KIND_VIP'),
    () => JSON.stringify(status.addresses));

  const pool = h.expectOk('GetPoolStatus', await call(ha, 'GetPoolStatus', { virtual_service_ref: 'web' }, reader()));
  h.check('pool status names the virtual service', pool.virtual_service_ref === 'web', () => JSON.stringify(pool));

  // --- HaService: watch, then a failover seen on it ---
  const watch = ha.WatchPlacements({ virtual_service_ref: 'web' }, md());
  const seen = [];
  const switched = new Promise((resolve, reject) => {
    watch.on('data', (m) => { seen.push(m); if (m.change_type === 'CHANGE_TYPE_UPDATED') resolve(m); });
    watch.on('error', (e) => { if (e.code !== h.grpc.status.CANCELLED) reject(e); });
  });
  await new Promise((resolve) => { const t = setInterval(() => { if (seen.some((m) => m.change_type === 'CHANGE_TYPE_SYNCED')) { clearInterval(t); resolve(); } }, 10); });
  h.check('watch starts with a snapshot then SYNCED', seen[0].change_type === 'CHANGE_TYPE_SNAPSHOT' && seen[0].placement.virtual_service_ref === 'web',
    () => JSON.stringify(seen));
  const failover = h.expectOk('SwitchoverVirtualService', await call(ha, 'SwitchoverVirtualService', { virtual_service_ref: 'web' }));
  h.check('failover makes the standby active', failover.placements[0].vip[0].active_se_ref === vip.standby_se_ref, () => JSON.stringify(failover));
  const update = await switched;
  h.check('watch delivers the failover with VS_SWITCHOVER', update.events.some((e) => e.event_id === 'VS_SWITCHOVER'), () => JSON.stringify(update));
  watch.cancel();

  const active = failover.placements[0].vip[0].active_se_ref;
  h.expectOk('SwitchoverServiceEngine', await call(ha, 'SwitchoverServiceEngine', { se_ref: active }));
  const back = h.expectOk('GetVirtualServicePlacement after SE switchover', await call(ha, 'GetVirtualServicePlacement', { virtual_service_ref: 'web' }));
  h.check('SE switchover moved the VS off the SE', back.vip[0].active_se_ref !== active);
  h.expectOk('RedistributeServiceEngineGroup', await call(ha, 'RedistributeServiceEngineGroup', { se_group_ref: 'pair' }));
  const migrate = h.expectCode('migrate in legacy HA is FAILED_PRECONDITION', await call(ha, 'MigrateVirtualService', { virtual_service_ref: 'web' }), h.grpc.status.FAILED_PRECONDITION);
  h.check('refusal says why', migrate.details.length > 0);
  h.expectCode('scale-out in legacy HA is FAILED_PRECONDITION', await call(ha, 'ScaleOutVirtualService', { virtual_service_ref: 'web' }), h.grpc.status.FAILED_PRECONDITION);
  h.expectCode('scale-in at one placement is FAILED_PRECONDITION', await call(ha, 'ScaleInVirtualService', { virtual_service_ref: 'web' }), h.grpc.status.FAILED_PRECONDITION);

  // --- HaService: rolling upgrade with streamed progress ---
  const upgrade = await h.collect(ha.UpgradeServiceEngineGroup({ se_group_ref: 'pair', version: '31.2.1' }, md()));
  h.check('upgrade ends OK', !upgrade.error, () => String(upgrade.error));
  const states = upgrade.messages.map((m) => m.state);
  h.check('upgrade streams start, each SE, completion', states[0] === 'UPGRADE_STARTED' && states[states.length - 1] === 'UPGRADE_COMPLETED'
    && states.filter((s) => s === 'UPGRADE_SE_DONE').length === 2, () => states.join());

  // --- roles ---
  h.expectCode('no token is UNAUTHENTICATED', await call(groups, 'ListServiceEngineGroups', {}, none()), h.grpc.status.UNAUTHENTICATED);
  h.expectCode('reader token cannot mutate', await call(groups, 'CreateServiceEngineGroup', { service_engine_group: { name: 'x' } }, reader()), h.grpc.status.PERMISSION_DENIED);

  // --- transport: deadlines, cancellation, gzip, limits, unknown methods ---
  const expired = await h.collect(ha.WatchPlacements({}, md(), { deadline: h.deadlineIn(500) }));
  h.check('a watch past its deadline ends DEADLINE_EXCEEDED after its snapshot',
    expired.error && expired.error.code === h.grpc.status.DEADLINE_EXCEEDED && expired.messages.some((m) => m.change_type === 'CHANGE_TYPE_SYNCED'),
    () => `${expired.error && expired.error.code} after ${expired.messages.length} messages`);
  const cancelled = await h.collect(ha.WatchPlacements({}, md()), (m, stream) => { if (m.change_type === 'CHANGE_TYPE_SYNCED') stream.cancel(); });
  h.check('a cancelled watch ends CANCELLED', cancelled.error && cancelled.error.code === h.grpc.status.CANCELLED, () => String(cancelled.error));
  const zipped = h.client(pkg, P + 'ServiceEngineGroupService', cfg, { 'grpc.default_compression_algorithm': 2 });
  const floating = Array.from({ length: 32 }, (_, i) => `198.51.100.${i + 1}`);
  const zgroup = h.expectOk('gzip-compressed Create', await call(zipped, 'CreateServiceEngineGroup', {
    service_engine_group: { name: 'zipped', ha_mode: 'HA_MODE_LEGACY_ACTIVE_STANDBY', max_se: 2, buffer_se: 0, floating_intf_ip: floating },
  }));
  h.check('gzip request arrives whole', zgroup.floating_intf_ip.length === 32 && zgroup.floating_intf_ip[31] === '198.51.100.32', () => JSON.stringify(zgroup.floating_intf_ip));
  h.check('gzip Get', h.expectOk('gzip-compressed Get', await call(zipped, 'GetServiceEngineGroup', { name: 'zipped' })).floating_intf_ip.length === 32);
  h.expectOk('Delete the gzip group', await call(zipped, 'DeleteServiceEngineGroup', { name: 'zipped' }));
  zipped.close();
  h.expectCode('5 MB request is RESOURCE_EXHAUSTED', await call(groups, 'CreateServiceEngineGroup', { service_engine_group: { name: 'x'.repeat(5 * 1024 * 1024) } }),
    h.grpc.status.RESOURCE_EXHAUSTED);
  const generic = new h.grpc.Client(cfg.target, h.credentials(cfg), cfg.tls && cfg.tls.serverName ? { 'grpc.ssl_target_name_override': cfg.tls.serverName } : {});
  const unknown = (path) => new Promise((resolve) => generic.makeUnaryRequest(path, (x) => x, (x) => x, Buffer.alloc(0), md(), (error, response) => resolve({ error, response })));
  h.expectCode('unknown method', await unknown('/avi.v1.ServiceEngineGroupService/PatchServiceEngineGroup'), h.grpc.status.UNIMPLEMENTED, 'Method is unimplemented.');
  h.expectCode('unknown service', await unknown('/avi.v1.PoolService/CreatePool'), h.grpc.status.UNIMPLEMENTED, 'Service is unimplemented.');
  generic.close();
  h.check('nothing was created by the refused calls',
    h.expectOk('ListServiceEngineGroups after the refusals', await call(groups, 'ListServiceEngineGroups', {})).service_engine_groups.map((g) => g.name).join() === 'pair');

  // --- deletes, in dependency order ---
  h.expectOk('DeleteVirtualService web443', await call(services, 'DeleteVirtualService', { name: 'web443' }));
  h.expectOk('DeleteVsVip', await call(vips, 'DeleteVsVip', { name: 'shared' }));
  h.expectOk('DeleteVirtualService web', await call(services, 'DeleteVirtualService', { name: 'web' }));
  h.expectCode('group with SEs cannot be deleted', await call(groups, 'DeleteServiceEngineGroup', { name: 'pair' }), h.grpc.status.FAILED_PRECONDITION);
  h.expectOk('DeleteServiceEngine se-a', await call(engines, 'DeleteServiceEngine', { name: 'se-a' }));
  h.expectOk('DeleteServiceEngine se-b', await call(engines, 'DeleteServiceEngine', { name: 'se-b' }));
  h.expectOk('DeleteServiceEngineGroup', await call(groups, 'DeleteServiceEngineGroup', { name: 'pair' }));
  [groups, engines, vips, services, ha].forEach((c) => c.close());
});
