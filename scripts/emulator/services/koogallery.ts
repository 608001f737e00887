/**
 * KooGallery `GET /api/mkp-openapi-public/v1/asset/deployed-object?asset_id=&deployed_type=&region=&asset_version=`,
 * what the provider's huaweicloud_koogallery_assets data source calls (github.com/huaweicloud/terraform-provider-huaweicloud
 * huaweicloud/services/koogallery/data_source_huaweicloud_koogallery_assets.go; golangsdk
 * openstack/koogallery/v1/assets: `{error_code, error_msg, data: [{asset_id, deployed_type, version,
 * version_id, region, image_deployed_object: {image_id, image_name, os_type, create_time, architecture}}]}`).
 * Answers from `account.config.assets` (asset ID -> {version, images: region -> image ID}).
 * An unknown asset, another version, another region or a deployed_type other than `image` gives an
 * empty `data` list: we found no public description of the API's answer for those cases.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../errors.js';
import type { ServiceFactory } from './index.js';

export const koogalleryService: ServiceFactory = () => ({
  routes: [{
    service: 'mkt', method: 'GET', path: '/api/mkp-openapi-public/v1/asset/deployed-object',
    handler: (req, ctx) => {
      const assetId = req.query.get('asset_id');
      const deployedType = req.query.get('deployed_type');
      if (!assetId || !deployedType) throw new ApiError(400, 'MKT.0100', 'asset_id and deployed_type are required.', 'gateway');
      const region = req.query.get('region') || req.region;
      const version = req.query.get('asset_version');
      const asset = ctx.account.config.assets[assetId];
      const imageId = asset?.images[region];
      const matches = deployedType === 'image' && imageId && (!version || !asset.version || version === asset.version);
      const assetVersion = asset?.version ?? 'V1.0';
      const data = matches ? [{
        asset_id: assetId, deployed_type: 'image', version: assetVersion,
        version_id: createHash('sha256').update(`${assetId}:${assetVersion}`).digest('hex').slice(0, 32), region,
        image_deployed_object: { image_id: imageId, image_name: `KooGallery-${assetId.slice(0, 8)}-${assetVersion}`, os_type: 'Linux', create_time: '', architecture: 'x86_64' },
        software_pkg_deployed_object: null,
      }] : [];
      return { status: 200, body: { error_code: '', error_msg: '', data } };
    },
  }],
});
