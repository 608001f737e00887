import { defineImage } from '../../stacks/definition/index.js';

/**
 * Example product: a hardened nginx web server on Ubuntu 22.04, built in AP-Singapore and
 * copied to two more international regions.
 */
export default defineImage({
  product: { nameZh: 'Nginx 网页服务器', nameEn: 'Nginx Web Server' },
  version: 'V1.0',
  buildVersion: '1.0.0',
  site: 'intl',
  buildRegion: 'ap-southeast-3',
  targetRegions: ['ap-southeast-2', 'af-south-1'],
  baseImage: { name: 'Ubuntu 22.04 server 64bit' },
  flavors: ['s6.large.2', 's7.large.2', 'c7.large.2'],
  systemDisk: { type: 'GPSSD', sizeGiB: 40 },
  install: [
    { name: 'install-nginx', script: 'install.sh', timeoutMinutes: 15 },
    {
      name: 'configure-site',
      script: 'configure.sh',
      files: [
        { source: 'files/default.conf', destination: '/etc/nginx/sites-available/default', mode: '0644' },
        { source: 'files/index.html', destination: '/var/www/html/index.html', mode: '0644' },
      ],
      timeoutMinutes: 5,
    },
  ],
  tests: [{ name: 'serves-http', script: 'test.sh', timeoutMinutes: 5 }],
  securityGroup: [
    { protocol: 'tcp', ports: '80', source: '0.0.0.0/0', description: 'HTTP for the web site' },
    { protocol: 'tcp', ports: '443', source: '0.0.0.0/0', description: 'HTTPS for the web site' },
    { protocol: 'tcp', ports: '22', source: '0.0.0.0/0', description: 'SSH for administration (narrow the source to your office)' },
  ],
  tags: { team: 'web' },
  build: { agencyName: 'koogallery_ims_agency' },
});
