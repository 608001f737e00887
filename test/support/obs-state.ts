/**
 * Terraform state on the emulator's OBS, for tests that run the real terraform binary: the
 * backend block exactly as the stacks write it (stacks/backend.ts, synthesized, never retyped),
 * and the bucket it needs, created as an S3 client creates it (AWS Signature V4).
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { TerraformStack, Testing } from 'cdktf';
import { configureBackend } from '../../stacks/backend.js';
import type { EndpointOverride } from '../../stacks/endpoint.js';

class Sha256 extends Hash {
  constructor(secret?: SourceData) {
    super('sha256', secret);
  }
}

/** Signs S3 calls as the AWS SDKs' S3 client does (path not re-escaped). */
export function s3Signer(accessKey: string, secretKey: string, region = 'ap-southeast-3'): SignatureV4 {
  return new SignatureV4({ credentials: { accessKeyId: accessKey, secretAccessKey: secretKey }, region, service: 's3', sha256: Sha256, uriEscapePath: false });
}

/** CreateBucket, signed: real OBS has no bucket until one is created. Returns the HTTP status. */
export async function createBucket(emulatorUrl: string, bucket: string, accessKey: string, secretKey: string): Promise<number> {
  const url = new URL(emulatorUrl);
  const signed = await s3Signer(accessKey, secretKey).sign({ method: 'PUT', protocol: 'http:', hostname: url.hostname, path: `/${bucket}`, query: {}, headers: { host: url.host } });
  return (await fetch(`${emulatorUrl}/${bucket}`, { method: 'PUT', headers: signed.headers })).status;
}

/**
 * `backend.tf.json` for one stack's state in `bucket` (key `<keyPrefix>/<stackName>.tfstate`),
 * from configureBackend: with `endpoint` (IMAGE_FACTORY_ENDPOINT) path-style at that URL,
 * without it the default OBS endpoint, virtual-hosted.
 */
export function obsBackendJson(o: { bucket: string; keyPrefix: string; stackName: string; region?: string; endpoint?: EndpointOverride }): string {
  const stack = new TerraformStack(Testing.app(), o.stackName);
  configureBackend(stack, o.stackName, { kind: 'obs', bucket: o.bucket, region: o.region ?? 'ap-southeast-3', keyPrefix: o.keyPrefix }, o.endpoint);
  const { terraform } = JSON.parse(Testing.synth(stack)) as { terraform: { backend: unknown } };
  return JSON.stringify({ terraform: { backend: terraform.backend } }, null, 2);
}
