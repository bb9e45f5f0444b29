import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsUUID } from 'class-validator';
import type { RadioSettingsValues, TalkGroupWithStores } from '@app/alerts';

import { RequiredText } from '../../http/text-fields';

export class CreateTalkGroupRequest {
  @RequiredText(1, 100)
  name: string;
}

export class SetTalkGroupStoresRequest {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(2000)
  @IsUUID(undefined, { each: true })
  storeIds: string[];
}

export class TalkGroupResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  name: string;
  @ApiProperty({ type: [String] })
  storeIds: string[];

  static from(g: TalkGroupWithStores): TalkGroupResponse {
    return { id: g.talkGroup.id, name: g.talkGroup.name, storeIds: g.storeIds };
  }
}

export class RadioSettingsRequest {
  /** whether shops may raise alerts to their talk groups */
  @ApiProperty({ type: Boolean, description: 'whether shops may raise alerts to their talk groups' })
  @IsBoolean()
  shopsMayRaise: boolean;
}

export class RadioSettingsResponse {
  @ApiProperty({ type: Boolean })
  shopsMayRaise: boolean;

  static from(s: RadioSettingsValues): RadioSettingsResponse {
    return { shopsMayRaise: s.shopsMayRaise };
  }
}
