// https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface ImsEcsSystemImageConfig extends cdktf.TerraformMetaArguments {
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#description ImsEcsSystemImage#description}
  */
  readonly description?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#enterprise_project_id ImsEcsSystemImage#enterprise_project_id}
  */
  readonly enterpriseProjectId?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#id ImsEcsSystemImage#id}
  *
  * Please be aware that the id field is automatically added to all resources in Terraform providers using a Terraform provider SDK version below 2.
  * If you experience problems setting this value it might not be settable. Please take a look at the provider documentation to ensure it should be settable.
  */
  readonly id?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#instance_id ImsEcsSystemImage#instance_id}
  */
  readonly instanceId: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#max_ram ImsEcsSystemImage#max_ram}
  */
  readonly maxRam?: number;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#min_ram ImsEcsSystemImage#min_ram}
  */
  readonly minRam?: number;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#name ImsEcsSystemImage#name}
  */
  readonly name: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#region ImsEcsSystemImage#region}
  */
  readonly region?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#tags ImsEcsSystemImage#tags}
  */
  readonly tags?: { [key: string]: string };
  /**
  * timeouts block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#timeouts ImsEcsSystemImage#timeouts}
  */
  readonly timeouts?: ImsEcsSystemImageTimeouts;
}
export interface ImsEcsSystemImageTimeouts {
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#create ImsEcsSystemImage#create}
  */
  readonly create?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#delete ImsEcsSystemImage#delete}
  */
  readonly delete?: string;
}

export function imsEcsSystemImageTimeoutsToTerraform(struct?: ImsEcsSystemImageTimeouts | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    create: cdktf.stringToTerraform(struct!.create),
    delete: cdktf.stringToTerraform(struct!.delete),
  }
}


export function imsEcsSystemImageTimeoutsToHclTerraform(struct?: ImsEcsSystemImageTimeouts | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    create: {
      value: cdktf.stringToHclTerraform(struct!.create),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    delete: {
      value: cdktf.stringToHclTerraform(struct!.delete),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class ImsEcsSystemImageTimeoutsOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): ImsEcsSystemImageTimeouts | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._create !== undefined) {
      hasAnyValues = true;
      internalValueResult.create = this._create;
    }
    if (this._delete !== undefined) {
      hasAnyValues = true;
      internalValueResult.delete = this._delete;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: ImsEcsSystemImageTimeouts | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._create = undefined;
      this._delete = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._create = value.create;
      this._delete = value.delete;
    }
  }

  // create - computed: false, optional: true, required: false
  private _create?: string; 
  public get create() {
    return this.getStringAttribute('create');
  }
  public set create(value: string) {
    this._create = value;
  }
  public resetCreate() {
    this._create = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get createInput() {
    return this._create;
  }

  // delete - computed: false, optional: true, required: false
  private _delete?: string; 
  public get delete() {
    return this.getStringAttribute('delete');
  }
  public set delete(value: string) {
    this._delete = value;
  }
  public resetDelete() {
    this._delete = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get deleteInput() {
    return this._delete;
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image huaweicloud_ims_ecs_system_image}
*/
export class ImsEcsSystemImage extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "huaweicloud_ims_ecs_system_image";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a ImsEcsSystemImage resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the ImsEcsSystemImage to import
  * @param importFromId The id of the existing ImsEcsSystemImage that should be imported. Refer to the {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the ImsEcsSystemImage to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "huaweicloud_ims_ecs_system_image", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/ims_ecs_system_image huaweicloud_ims_ecs_system_image} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options ImsEcsSystemImageConfig
  */
  public constructor(scope: Construct, id: string, config: ImsEcsSystemImageConfig) {
    super(scope, id, {
      terraformResourceType: 'huaweicloud_ims_ecs_system_image',
      terraformGeneratorMetadata: {
        providerName: 'huaweicloud',
        providerVersionConstraint: '~> 1.97'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._description = config.description;
    this._enterpriseProjectId = config.enterpriseProjectId;
    this._id = config.id;
    this._instanceId = config.instanceId;
    this._maxRam = config.maxRam;
    this._minRam = config.minRam;
    this._name = config.name;
    this._region = config.region;
    this._tags = config.tags;
    this._timeouts.internalValue = config.timeouts;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // __account_code - computed: true, optional: false, required: false
  public get accountCode() {
    return this.getStringAttribute('__account_code');
  }

  // __backup_id - computed: true, optional: false, required: false
  public get backupId() {
    return this.getStringAttribute('__backup_id');
  }

  // __image_displayname - computed: true, optional: false, required: false
  public get imageDisplayname() {
    return this.getStringAttribute('__image_displayname');
  }

  // __image_source_type - computed: true, optional: false, required: false
  public get imageSourceType() {
    return this.getStringAttribute('__image_source_type');
  }

  // __imagetype - computed: true, optional: false, required: false
  public get imagetype() {
    return this.getStringAttribute('__imagetype');
  }

  // __is_offshelved - computed: true, optional: false, required: false
  public get isOffshelved() {
    return this.getStringAttribute('__is_offshelved');
  }

  // __isregistered - computed: true, optional: false, required: false
  public get isregistered() {
    return this.getStringAttribute('__isregistered');
  }

  // __lazyloading - computed: true, optional: false, required: false
  public get lazyloading() {
    return this.getStringAttribute('__lazyloading');
  }

  // __originalimagename - computed: true, optional: false, required: false
  public get originalimagename() {
    return this.getStringAttribute('__originalimagename');
  }

  // __os_bit - computed: true, optional: false, required: false
  public get osBit() {
    return this.getStringAttribute('__os_bit');
  }

  // __os_feature_list - computed: true, optional: false, required: false
  public get osFeatureList() {
    return this.getStringAttribute('__os_feature_list');
  }

  // __os_type - computed: true, optional: false, required: false
  public get osType() {
    return this.getStringAttribute('__os_type');
  }

  // __platform - computed: true, optional: false, required: false
  public get platform() {
    return this.getStringAttribute('__platform');
  }

  // __productcode - computed: true, optional: false, required: false
  public get productcode() {
    return this.getStringAttribute('__productcode');
  }

  // __root_origin - computed: true, optional: false, required: false
  public get rootOrigin() {
    return this.getStringAttribute('__root_origin');
  }

  // __sequence_num - computed: true, optional: false, required: false
  public get sequenceNum() {
    return this.getStringAttribute('__sequence_num');
  }

  // __support_agent_list - computed: true, optional: false, required: false
  public get supportAgentList() {
    return this.getStringAttribute('__support_agent_list');
  }

  // __support_amd - computed: true, optional: false, required: false
  public get supportAmd() {
    return this.getStringAttribute('__support_amd');
  }

  // __support_arm - computed: true, optional: false, required: false
  public get supportArm() {
    return this.getStringAttribute('__support_arm');
  }

  // __support_diskintensive - computed: true, optional: false, required: false
  public get supportDiskintensive() {
    return this.getStringAttribute('__support_diskintensive');
  }

  // __support_fc_inject - computed: true, optional: false, required: false
  public get supportFcInject() {
    return this.getStringAttribute('__support_fc_inject');
  }

  // __support_highperformance - computed: true, optional: false, required: false
  public get supportHighperformance() {
    return this.getStringAttribute('__support_highperformance');
  }

  // __support_kvm - computed: true, optional: false, required: false
  public get supportKvm() {
    return this.getStringAttribute('__support_kvm');
  }

  // __support_kvm_gpu_type - computed: true, optional: false, required: false
  public get supportKvmGpuType() {
    return this.getStringAttribute('__support_kvm_gpu_type');
  }

  // __support_kvm_hi1822_hisriov - computed: true, optional: false, required: false
  public get supportKvmHi1822Hisriov() {
    return this.getStringAttribute('__support_kvm_hi1822_hisriov');
  }

  // __support_kvm_hi1822_hivirtionet - computed: true, optional: false, required: false
  public get supportKvmHi1822Hivirtionet() {
    return this.getStringAttribute('__support_kvm_hi1822_hivirtionet');
  }

  // __support_kvm_infiniband - computed: true, optional: false, required: false
  public get supportKvmInfiniband() {
    return this.getStringAttribute('__support_kvm_infiniband');
  }

  // __support_largememory - computed: true, optional: false, required: false
  public get supportLargememory() {
    return this.getStringAttribute('__support_largememory');
  }

  // __support_xen - computed: true, optional: false, required: false
  public get supportXen() {
    return this.getStringAttribute('__support_xen');
  }

  // __support_xen_gpu_type - computed: true, optional: false, required: false
  public get supportXenGpuType() {
    return this.getStringAttribute('__support_xen_gpu_type');
  }

  // __support_xen_hana - computed: true, optional: false, required: false
  public get supportXenHana() {
    return this.getStringAttribute('__support_xen_hana');
  }

  // __system__cmkid - computed: true, optional: false, required: false
  public get systemCmkid() {
    return this.getStringAttribute('__system__cmkid');
  }

  // __system_support_market - computed: true, optional: false, required: false
  public get systemSupportMarket() {
    return this.getBooleanAttribute('__system_support_market');
  }

  // active_at - computed: true, optional: false, required: false
  public get activeAt() {
    return this.getStringAttribute('active_at');
  }

  // container_format - computed: true, optional: false, required: false
  public get containerFormat() {
    return this.getStringAttribute('container_format');
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // data_origin - computed: true, optional: false, required: false
  public get dataOrigin() {
    return this.getStringAttribute('data_origin');
  }

  // description - computed: false, optional: true, required: false
  private _description?: string; 
  public get description() {
    return this.getStringAttribute('description');
  }
  public set description(value: string) {
    this._description = value;
  }
  public resetDescription() {
    this._description = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get descriptionInput() {
    return this._description;
  }

  // disk_format - computed: true, optional: false, required: false
  public get diskFormat() {
    return this.getStringAttribute('disk_format');
  }

  // enterprise_project_id - computed: true, optional: true, required: false
  private _enterpriseProjectId?: string; 
  public get enterpriseProjectId() {
    return this.getStringAttribute('enterprise_project_id');
  }
  public set enterpriseProjectId(value: string) {
    this._enterpriseProjectId = value;
  }
  public resetEnterpriseProjectId() {
    this._enterpriseProjectId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get enterpriseProjectIdInput() {
    return this._enterpriseProjectId;
  }

  // file - computed: true, optional: false, required: false
  public get file() {
    return this.getStringAttribute('file');
  }

  // hw_firmware_type - computed: true, optional: false, required: false
  public get hwFirmwareType() {
    return this.getStringAttribute('hw_firmware_type');
  }

  // hw_vif_multiqueue_enabled - computed: true, optional: false, required: false
  public get hwVifMultiqueueEnabled() {
    return this.getStringAttribute('hw_vif_multiqueue_enabled');
  }

  // id - computed: true, optional: true, required: false
  private _id?: string; 
  public get id() {
    return this.getStringAttribute('id');
  }
  public set id(value: string) {
    this._id = value;
  }
  public resetId() {
    this._id = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get idInput() {
    return this._id;
  }

  // image_size - computed: true, optional: false, required: false
  public get imageSize() {
    return this.getStringAttribute('image_size');
  }

  // instance_id - computed: false, optional: false, required: true
  private _instanceId?: string; 
  public get instanceId() {
    return this.getStringAttribute('instance_id');
  }
  public set instanceId(value: string) {
    this._instanceId = value;
  }
  // Temporarily expose input value. Use with caution.
  public get instanceIdInput() {
    return this._instanceId;
  }

  // max_ram - computed: true, optional: true, required: false
  private _maxRam?: number; 
  public get maxRam() {
    return this.getNumberAttribute('max_ram');
  }
  public set maxRam(value: number) {
    this._maxRam = value;
  }
  public resetMaxRam() {
    this._maxRam = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxRamInput() {
    return this._maxRam;
  }

  // min_disk - computed: true, optional: false, required: false
  public get minDisk() {
    return this.getNumberAttribute('min_disk');
  }

  // min_ram - computed: true, optional: true, required: false
  private _minRam?: number; 
  public get minRam() {
    return this.getNumberAttribute('min_ram');
  }
  public set minRam(value: number) {
    this._minRam = value;
  }
  public resetMinRam() {
    this._minRam = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get minRamInput() {
    return this._minRam;
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // os_shutdown_timeout - computed: true, optional: false, required: false
  public get osShutdownTimeout() {
    return this.getStringAttribute('os_shutdown_timeout');
  }

  // os_version - computed: true, optional: false, required: false
  public get osVersion() {
    return this.getStringAttribute('os_version');
  }

  // protected - computed: true, optional: false, required: false
  public get protected() {
    return this.getBooleanAttribute('protected');
  }

  // region - computed: true, optional: true, required: false
  private _region?: string; 
  public get region() {
    return this.getStringAttribute('region');
  }
  public set region(value: string) {
    this._region = value;
  }
  public resetRegion() {
    this._region = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get regionInput() {
    return this._region;
  }

  // schema - computed: true, optional: false, required: false
  public get schema() {
    return this.getStringAttribute('schema');
  }

  // self - computed: true, optional: false, required: false
  public get selfAttribute() {
    return this.getStringAttribute('self');
  }

  // status - computed: true, optional: false, required: false
  public get status() {
    return this.getStringAttribute('status');
  }

  // tags - computed: true, optional: true, required: false
  private _tags?: { [key: string]: string }; 
  public get tags() {
    return this.getStringMapAttribute('tags');
  }
  public set tags(value: { [key: string]: string }) {
    this._tags = value;
  }
  public resetTags() {
    this._tags = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tagsInput() {
    return this._tags;
  }

  // updated_at - computed: true, optional: false, required: false
  public get updatedAt() {
    return this.getStringAttribute('updated_at');
  }

  // virtual_env_type - computed: true, optional: false, required: false
  public get virtualEnvType() {
    return this.getStringAttribute('virtual_env_type');
  }

  // visibility - computed: true, optional: false, required: false
  public get visibility() {
    return this.getStringAttribute('visibility');
  }

  // timeouts - computed: false, optional: true, required: false
  private _timeouts = new ImsEcsSystemImageTimeoutsOutputReference(this, "timeouts");
  public get timeouts() {
    return this._timeouts;
  }
  public putTimeouts(value: ImsEcsSystemImageTimeouts) {
    this._timeouts.internalValue = value;
  }
  public resetTimeouts() {
    this._timeouts.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get timeoutsInput() {
    return this._timeouts.internalValue;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      description: cdktf.stringToTerraform(this._description),
      enterprise_project_id: cdktf.stringToTerraform(this._enterpriseProjectId),
      id: cdktf.stringToTerraform(this._id),
      instance_id: cdktf.stringToTerraform(this._instanceId),
      max_ram: cdktf.numberToTerraform(this._maxRam),
      min_ram: cdktf.numberToTerraform(this._minRam),
      name: cdktf.stringToTerraform(this._name),
      region: cdktf.stringToTerraform(this._region),
      tags: cdktf.hashMapper(cdktf.stringToTerraform)(this._tags),
      timeouts: imsEcsSystemImageTimeoutsToTerraform(this._timeouts.internalValue),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      description: {
        value: cdktf.stringToHclTerraform(this._description),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      enterprise_project_id: {
        value: cdktf.stringToHclTerraform(this._enterpriseProjectId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      id: {
        value: cdktf.stringToHclTerraform(this._id),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      instance_id: {
        value: cdktf.stringToHclTerraform(this._instanceId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      max_ram: {
        value: cdktf.numberToHclTerraform(this._maxRam),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      min_ram: {
        value: cdktf.numberToHclTerraform(this._minRam),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      region: {
        value: cdktf.stringToHclTerraform(this._region),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      tags: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._tags),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      timeouts: {
        value: imsEcsSystemImageTimeoutsToHclTerraform(this._timeouts.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "ImsEcsSystemImageTimeouts",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
