import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsHumanText } from '@app/errors';

/** `?limit=&cursor=` on every list route. */
export class PageQuery {
  @ApiPropertyOptional({ type: Number })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** A list that can be searched: `?q=` (words, each matched as a prefix; best match first). */
export class SearchPageQuery extends PageQuery {
  @ApiPropertyOptional({
    type: String,
    description: 'words to search for, each matched as the start of a word; results best match first',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @IsHumanText()
  @Matches(/[\p{L}\p{N}]/u, { message: 'q must contain a letter or a digit' })
  q?: string;
}
