import { defineImage } from 'koogallery-image-factory';

/**
 * Example product on an RPM base: Apache httpd on Huawei Cloud EulerOS 2.0 (dnf), built in
 * AP-Singapore and copied to AP-Bangkok. Huawei offers HCE 2.0 as the successor of CentOS; on the
 * Chinese mainland site its public image is named "Huawei Cloud EulerOS 2.0 标准版 64位".
 */
export default defineImage({
  product: { nameZh: 'Apache 网页服务器', nameEn: 'Apache HTTP Server' },
  version: 'V1.0',
  buildVersion: '1.0.0',
  site: 'intl',
  buildRegion: 'ap-southeast-3',
  targetRegions: ['ap-southeast-2'],
  baseImage: { name: 'Huawei Cloud EulerOS 2.0 Standard 64 bit' },
  flavors: ['s6.large.2', 's7.large.2'],
  systemDisk: { type: 'GPSSD', sizeGiB: 40 },
  minRamMiB: 1024,
  install: [
    { name: 'harden', script: 'harden.sh', timeoutMinutes: 20 },
    { name: 'install-httpd', script: 'install.sh', timeoutMinutes: 15 },
    {
      name: 'configure-site',
      script: 'configure.sh',
      files: [
        { source: 'files/koogallery.conf', destination: '/etc/httpd/conf.d/koogallery.conf', mode: '0644' },
        { source: 'files/index.html', destination: '/var/www/html/index.html', mode: '0644' },
      ],
      timeoutMinutes: 5,
    },
  ],
  tests: [{ name: 'serves-http', script: 'test.sh', timeoutMinutes: 5 }],
  securityGroup: [
    { protocol: 'tcp', ports: '80', source: '0.0.0.0/0', description: 'HTTP for the web site', descriptionZh: '网站的 HTTP 访问' },
    { protocol: 'tcp', ports: '443', source: '0.0.0.0/0', description: 'HTTPS for the web site', descriptionZh: '网站的 HTTPS 访问' },
  ],
  tags: { team: 'web' },
  build: { agencyName: 'koogallery_ims_agency' },
  listing: {
    overview: {
      zh: '开箱即用的 Apache 网页服务器，基于 Huawei Cloud EulerOS 2.0，已完成安全加固。',
      en: 'A ready-to-run, hardened Apache HTTP Server on Huawei Cloud EulerOS 2.0.',
    },
    description: {
      zh: '本镜像在 Huawei Cloud EulerOS 2.0 上安装了官方仓库的 Apache httpd，设置为开机自启，并隐藏了服务器版本号。购买后即可在 80 端口发布网站，可按使用指南配置 HTTPS。镜像不含预置账号、密码或密钥，登录密码在下单时设置。',
      en: 'This image installs Apache httpd from the Huawei Cloud EulerOS repositories on HCE 2.0, starts it at boot and hides the server version. Publish your site on port 80 right after purchase and add HTTPS by following the usage guide. The image holds no preset accounts, passwords or keys; you set the login password when ordering.',
    },
    highlights: [
      { zh: '一键部署：几分钟内即可提供网站服务', en: 'One-click deployment: serve your site within minutes' },
      { zh: '安全加固：隐藏版本号，无预置凭据', en: 'Hardened: server version hidden, no preset credentials' },
      { zh: '官方软件源：通过 dnf 获取安全更新', en: 'Distribution packages: security updates through dnf' },
    ],
    pricingModes: ['pay-per-use'],
    specifications: [
      { id: 'standard', nameZh: '标准版', nameEn: 'Standard Edition', recommendedFlavors: ['s6.large.2', 's7.large.2'], minimumFlavor: 's6.medium.2' },
    ],
    operatingSystem: 'Huawei Cloud EulerOS 2.0 Standard 64 bit',
    architecture: 'x86_64',
    logo: 'logo.png',
    usageGuide: 'USAGE.md',
    accessUrl: 'http://{ip}/',
  },
});
