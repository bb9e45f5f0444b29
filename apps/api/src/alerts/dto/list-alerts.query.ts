import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Min } from 'class-validator';
import { PageQuery } from '../../http/page.query';

/** Newest first; `cursor` is the `nextCursor` of the previous page (a number here), `afterSeq` a sync point. */
export class ListAlertsQuery extends PageQuery {
  @Matches(/^[0-9]{1,15}$/, { message: 'cursor is not a cursor this API returned' })
  override cursor?: string = undefined;

  @ApiPropertyOptional({ type: Number })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  afterSeq?: number;
}
