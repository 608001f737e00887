/**
 * The copy events read from `terraform apply -json` output. The lines below have the shape
 * Terraform 1.10 prints (apply_start / apply_progress / apply_complete / apply_errored hooks,
 * then the error diagnostics once every running operation has ended).
 */
import { describe, expect, it } from 'vitest';
import { COPY_FAILED_PLACEHOLDER, CopyTracker, type TfMessage } from '../../scripts/cloud/terraform-deployer.js';
import type { CopyEvent } from '../../scripts/cloud/types.js';

const res = (name: string) => ({ addr: `huaweicloud_images_image_copy.${name}`, module: '', resource: `huaweicloud_images_image_copy.${name}`, implied_provider: 'huaweicloud', resource_type: 'huaweicloud_images_image_copy', resource_name: name, resource_key: null });

const RECORDED = [
  { '@level': 'info', '@message': 'Terraform 1.10.5', '@module': 'terraform.ui', '@timestamp': '2026-11-28T10:00:00.000000Z', terraform: '1.10.5', type: 'version', ui: '1.2' },
  { '@level': 'info', '@message': 'huaweicloud_images_image_copy.copy-af-south-1: Creating...', '@module': 'terraform.ui', '@timestamp': '2026-11-28T10:00:01.000000Z', hook: { resource: res('copy-af-south-1'), action: 'create' }, type: 'apply_start' },
  { '@level': 'info', '@message': 'huaweicloud_images_image_copy.copy-ap-southeast-2: Creating...', '@module': 'terraform.ui', '@timestamp': '2026-11-28T10:00:01.000000Z', hook: { resource: res('copy-ap-southeast-2'), action: 'create' }, type: 'apply_start' },
  { '@level': 'info', '@message': 'huaweicloud_images_image_copy.copy-la-south-2: Creating...', '@module': 'terraform.ui', '@timestamp': '2026-11-28T10:00:01.000000Z', hook: { resource: res('copy-la-south-2'), action: 'create' }, type: 'apply_start' },
  { '@level': 'info', '@message': 'huaweicloud_images_image_copy.copy-af-south-1: Still creating... [10s elapsed]', '@module': 'terraform.ui', '@timestamp': '2026-11-28T10:00:11.000000Z', hook: { resource: res('copy-af-south-1'), action: 'create', elapsed_seconds: 10 }, type: 'apply_progress' },
  { '@level': 'error', '@message': 'huaweicloud_images_image_copy.copy-af-south-1: Creation errored after 3m12s', '@module': 'terraform.ui', '@timestamp': '2026-11-28T10:03:13.000000Z', hook: { resource: res('copy-af-south-1'), action: 'create', elapsed_seconds: 192 }, type: 'apply_errored' },
  { '@level': 'error', '@message': 'huaweicloud_images_image_copy.copy-la-south-2: Creation errored after 5m01s', '@module': 'terraform.ui', '@timestamp': '2026-11-28T10:05:02.000000Z', hook: { resource: res('copy-la-south-2'), action: 'create', elapsed_seconds: 301 }, type: 'apply_errored' },
  { '@level': 'info', '@message': 'huaweicloud_images_image_copy.copy-ap-southeast-2: Creation complete after 9m40s [id=6f1b2c3d-0000-4000-8000-000000000002]', '@module': 'terraform.ui', '@timestamp': '2026-11-28T10:09:41.000000Z', hook: { resource: res('copy-ap-southeast-2'), action: 'create', id_key: 'id', id_value: '6f1b2c3d-0000-4000-8000-000000000002', elapsed_seconds: 580 }, type: 'apply_complete' },
  { '@level': 'error', '@message': 'Error: error waiting for IMS job (ff8080829)', '@module': 'terraform.ui', '@timestamp': '2026-11-28T10:09:41.000000Z', diagnostic: { severity: 'error', summary: 'error waiting for IMS job (ff8080829) to complete', detail: 'IMS.0185: The image replication to af-south-1 failed.\nRequest ID: 0c0f', address: 'huaweicloud_images_image_copy.copy-af-south-1', range: { filename: 'cdk.tf.json', start: { line: 40, column: 5, byte: 900 }, end: { line: 40, column: 6, byte: 901 } } }, type: 'diagnostic' },
  { '@level': 'error', '@message': 'Error: creating image copy', '@module': 'terraform.ui', '@timestamp': '2026-11-28T10:09:41.000000Z', diagnostic: { severity: 'error', summary: 'error creating image copy', detail: 'IMS.0280: too many concurrent cross-region copy tasks', address: 'huaweicloud_images_image_copy.copy-la-south-2' }, type: 'diagnostic' },
].map((m) => JSON.stringify(m));

describe('CopyTracker: terraform apply -json to copy events', () => {
  const regionOf = new Map([
    ['huaweicloud_images_image_copy.copy-af-south-1', 'af-south-1'],
    ['huaweicloud_images_image_copy.copy-ap-southeast-2', 'ap-southeast-2'],
    ['huaweicloud_images_image_copy.copy-la-south-2', 'la-south-2'],
  ]);

  it('each failed region gets the reason from its own diagnostic, which comes after apply_errored', () => {
    const events: CopyEvent[] = [];
    const tracker = new CopyTracker(regionOf, ['af-south-1', 'ap-southeast-2', 'la-south-2'], (e) => events.push(e));
    for (const line of RECORDED) tracker.handle(JSON.parse(line) as TfMessage);
    expect(tracker.results).toEqual({
      'af-south-1': { error: 'error waiting for IMS job (ff8080829) to complete: IMS.0185: The image replication to af-south-1 failed.' },
      'ap-southeast-2': { imageId: '6f1b2c3d-0000-4000-8000-000000000002' },
      'la-south-2': { error: 'error creating image copy: IMS.0280: too many concurrent cross-region copy tasks' },
    });
    // The failure is reported as it happens (once per region), before its reason is known.
    expect(events.map((e) => `${e.region} ${e.status}`)).toEqual([
      'af-south-1 start', 'ap-southeast-2 start', 'la-south-2 start', 'af-south-1 failed', 'la-south-2 failed', 'ap-southeast-2 done',
    ]);
    expect(events.find((e) => e.status === 'failed')).toMatchObject({ error: COPY_FAILED_PLACEHOLDER });
  });

  it('a diagnostic without a preceding apply_errored still fails the region; regions not pending are ignored', () => {
    const events: CopyEvent[] = [];
    const tracker = new CopyTracker(regionOf, ['la-south-2'], (e) => events.push(e));
    for (const line of RECORDED.filter((l) => !l.includes('apply_errored'))) tracker.handle(JSON.parse(line) as TfMessage);
    expect(tracker.results).toEqual({ 'la-south-2': { error: 'error creating image copy: IMS.0280: too many concurrent cross-region copy tasks' } });
    expect(events.map((e) => `${e.region} ${e.status}`)).toEqual(['la-south-2 start', 'la-south-2 failed']);
  });
  it('retrying a failed copy replaces the tainted object: its delete is neither a start nor a done copy', () => {
    const events: CopyEvent[] = [];
    const tracker = new CopyTracker(regionOf, ['af-south-1'], (e) => events.push(e));
    const hook = (type: string, action: string, id?: string) => ({ type, hook: { resource: res('copy-af-south-1'), action, ...(id ? { id_key: 'id', id_value: id } : {}) } });
    // Terraform 1.11's order for a replace (seen in test/cloud/terraform-real.test.ts).
    for (const m of [hook('apply_start', 'delete', 'old-image'), hook('apply_complete', 'delete'), hook('apply_start', 'create'), hook('apply_complete', 'create', 'new-image')]) tracker.handle(m as TfMessage);
    expect(events).toEqual([{ region: 'af-south-1', status: 'start' }, { region: 'af-south-1', status: 'done', imageId: 'new-image' }]);
    expect(tracker.results).toEqual({ 'af-south-1': { imageId: 'new-image' } });
  });
});
