/**
 * A merchant's own CDKTF app on koogallery-image-factory: one image product defined inline (no
 * images/ folder; its scripts sit in ./redis), an egress rule of its own on the build network,
 * the merchant's tags, and an output of its own. `npx cdktf synth`, then deploy as in the
 * factory's README: builder, then release with --var="builder_instance_id=...", then tester.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, TerraformOutput } from 'cdktf';
import { ImageProduct, defineImage, huaweicloud, imageFromDefinition, isUserError } from 'koogallery-image-factory';

const here = dirname(fileURLToPath(import.meta.url));

try {
  const redis = imageFromDefinition(defineImage({
    product: { nameZh: 'Redis 缓存服务器', nameEn: 'Redis Cache Server' },
    version: 'V1.0',
    buildVersion: '1.0.0',
    site: 'intl',
    buildRegion: 'ap-southeast-3',
    baseImage: { name: 'Ubuntu 22.04 server 64bit' },
    flavors: ['s7.large.2'],
    install: [{ name: 'install-redis', script: 'install.sh' }],
    tests: [{ name: 'answers-ping', script: 'test.sh' }],
    securityGroup: [{ protocol: 'tcp', ports: '6379', source: '10.0.0.0/8', description: 'Redis clients inside the VPC' }],
    tags: { owner: 'acme-data', costcenter: 'cc-42' },
  }), { name: 'redis', dir: join(here, 'redis') });

  const app = new App();
  const product = new ImageProduct(app, 'redis', { image: redis });

  // The merchant's own resource: the build machine may also reach a package mirror on 8080.
  new huaweicloud.NetworkingSecgroupRule(product.builder.network, 'egress-mirror', {
    securityGroupId: product.builder.network.securityGroup.id,
    direction: 'egress',
    ethertype: 'IPv4',
    protocol: 'tcp',
    portRangeMin: 8080,
    portRangeMax: 8080,
    remoteIpPrefix: '0.0.0.0/0',
    description: 'package mirror',
  });
  new TerraformOutput(product.release, 'image_name_for_seller_center', { value: product.release.imageName });

  app.synth();
} catch (err) {
  // A definition mistake is reported as its message alone, with the field and the fix.
  if (!isUserError(err)) throw err;
  console.error(err.message);
  process.exit(1);
}
