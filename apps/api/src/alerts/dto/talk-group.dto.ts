import { ArrayMaxSize, IsArray, IsBoolean, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { RadioSettingsValues, TalkGroupWithStores } from '@app/alerts';
import { IsHumanText } from '@app/errors';

export class CreateTalkGroupRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @IsHumanText()
  name: string;
}

export class SetTalkGroupStoresRequest {
  @IsArray()
  @ArrayMaxSize(2000)
  @IsUUID(undefined, { each: true })
  storeIds: string[];
}

export class TalkGroupResponse {
  id: string;
  name: string;
  storeIds: string[];

  static from(g: TalkGroupWithStores): TalkGroupResponse {
    return { id: g.talkGroup.id, name: g.talkGroup.name, storeIds: g.storeIds };
  }
}

export class RadioSettingsRequest {
  /** whether shops may raise alerts to their talk groups */
  @IsBoolean()
  shopsMayRaise: boolean;
}

export class RadioSettingsResponse {
  shopsMayRaise: boolean;

  static from(s: RadioSettingsValues): RadioSettingsResponse {
    return { shopsMayRaise: s.shopsMayRaise };
  }
}
