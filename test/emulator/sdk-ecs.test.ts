/**
 * Fidelity: Huawei's own Node SDK (@huaweicloud/huaweicloud-sdk-ecs, v2 EcsClient) pointed at the
 * emulator. Every ECS call of that SDK the emulator serves is made, and its answers must parse
 * into the SDK's models (the SDK has no console-output call; the project's client covers it).
 */
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger.js';
import {
  BatchCreateServerTagsRequest, BatchStartServersRequest, BatchStopServersRequest, CreateServersRequest, DeleteServersRequest, EcsClient, ListFlavorsRequest,
  ListServersByTagRequest, ListServersDetailsRequest, NovaListAvailabilityZonesRequest, ShowJobRequest, ShowServerBlockDeviceRequest, ShowServerRequest,
  ShowServerTagsRequest, UpdateServerMetadataRequest,
} from '@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DURATIONS } from '../../scripts/emulator/account.js';
import { ManualClock, publicImageId, REGION, seedNetwork } from './compute-fixtures.js';
import { AK, SK, startEmulator, type TestEmulator } from './support.js';

Logger4jInstance.level = 'off';
const D = DEFAULT_DURATIONS;
/** The Node SDK hands back the decoded JSON as it came (snake_case keys), typed as its model. */
const raw = (x: unknown) => x as Record<string, any>;

describe('Huawei ECS SDK v2 against the emulator', () => {
  let emu: TestEmulator;
  let clock: ManualClock;
  let client: EcsClient;
  beforeAll(async () => {
    clock = new ManualClock();
    emu = await startEmulator({ clock });
    const projectId = (await emu.state()).projects[REGION];
    client = EcsClient.newBuilder().withCredential(new BasicCredentials().withAk(AK).withSk(SK).withProjectId(projectId)).withEndpoint(emu.url).build();
  });
  afterAll(() => emu.close());

  it('creates, shows, lists, tags, stops, starts and deletes a server, with jobs, flavors and AZs', async () => {
    const net = await seedNetwork(emu, clock);
    const imageRef = await publicImageId(emu.api());
    const created = await client.createServers(new CreateServersRequest().withBody({
      server: { imageRef, flavorRef: 's6.large.2', name: 'sdk-server', vpcid: net.vpcId, nics: [{ subnet_id: net.subnetId }], security_groups: [{ id: net.sgId }], root_volume: { volumetype: 'GPSSD', size: 40 }, server_tags: [{ key: 'image-factory-expires', value: 'x' }] },
    } as never));
    expect(raw(created).job_id).toMatch(/^[0-9a-f]{32}$/);
    const serverId = created.serverIds![0];
    clock.advance(D.serverCreateMs);

    const job = await client.showJob(new ShowJobRequest().withJobId(raw(created).job_id));
    expect(job.status).toBe('SUCCESS');
    expect(raw(job).entities.sub_jobs[0].entities.server_id).toBe(serverId);

    const shown = await client.showServer(new ShowServerRequest().withServerId(serverId));
    expect(shown.server).toMatchObject({ id: serverId, status: 'ACTIVE', flavor: { id: 's6.large.2', vcpus: '2' } });
    expect(raw(shown.server)['OS-EXT-AZ:availability_zone']).toBe('ap-southeast-3a');

    const listed = await client.listServersDetails(new ListServersDetailsRequest().withName('sdk-server'));
    expect(listed.count).toBe(1);
    expect(listed.servers?.[0]?.id).toBe(serverId);

    await client.batchCreateServerTags(new BatchCreateServerTagsRequest().withServerId(serverId).withBody({ action: 'create', tags: [{ key: 'team', value: 'web' }] } as never));
    const tags = await client.showServerTags(new ShowServerTagsRequest().withServerId(serverId));
    expect(tags.tags?.map((t) => t.key).sort()).toEqual(['image-factory-expires', 'team']);
    const byTag = await client.listServersByTag(new ListServersByTagRequest().withBody({ action: 'filter', tags: [{ key: 'team', values: ['web'] }] } as never));
    expect(byTag.resources?.map((r) => raw(r).resource_id)).toEqual([serverId]);
    expect(raw(byTag).total_count).toBe(1);

    const meta = await client.updateServerMetadata(new UpdateServerMetadataRequest().withServerId(serverId).withBody({ metadata: { owner: 'sdk' } } as never));
    expect(meta.metadata).toEqual({ owner: 'sdk' });
    const volumeId = raw(shown.server)['os-extended-volumes:volumes_attached'][0].id;
    const bd = await client.showServerBlockDevice(new ShowServerBlockDeviceRequest().withServerId(serverId).withVolumeId(volumeId));
    expect(bd.volumeAttachment).toMatchObject({ bootIndex: 0, size: 40 });

    const stop = await client.batchStopServers(new BatchStopServersRequest().withBody({ 'os-stop': { type: 'SOFT', servers: [{ id: serverId }] } } as never));
    expect(raw(stop).job_id).toMatch(/^[0-9a-f]{32}$/);
    clock.advance(D.stopMs);
    expect((await client.showServer(new ShowServerRequest().withServerId(serverId))).server?.status).toBe('SHUTOFF');
    await client.batchStartServers(new BatchStartServersRequest().withBody({ 'os-start': { servers: [{ id: serverId }] } } as never));
    clock.advance(D.stopMs);
    expect((await client.showServer(new ShowServerRequest().withServerId(serverId))).server?.status).toBe('ACTIVE');

    const flavors = await client.listFlavors(new ListFlavorsRequest());
    const s6 = flavors.flavors?.find((f) => f.name === 's6.large.2');
    expect(s6).toMatchObject({ vcpus: '2', ram: 4096 });
    const azs = await client.novaListAvailabilityZones(new NovaListAvailabilityZonesRequest());
    expect(azs.availabilityZoneInfo?.map((z) => z.zoneName)).toEqual(['ap-southeast-3a', 'ap-southeast-3b', 'ap-southeast-3c']);

    const del = await client.deleteServers(new DeleteServersRequest().withBody({ servers: [{ id: serverId }], delete_publicip: true, delete_volume: true } as never));
    clock.advance(D.serverDeleteMs);
    expect((await client.showJob(new ShowJobRequest().withJobId(raw(del).job_id))).status).toBe('SUCCESS');
    const gone = await client.showServer(new ShowServerRequest().withServerId(serverId)).catch((e) => e);
    expect([gone.httpStatusCode, gone.errorCode]).toEqual([404, 'Ecs.0114']);
  });
});
