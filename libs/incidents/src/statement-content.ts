import { sha256Hex } from '@app/auth';
import { canonicalJson } from '@app/evidence';
import type { WitnessStatement } from './entities/witness-statement.entity';

/**
 * What a witness signs on an MG11. One list serves the signature hash, the API's answer and the
 * pack's PDF, so a field added to the statement cannot be left out of any of them.
 */
export type SignedContent = Pick<
  WitnessStatement,
  | 'witnessName'
  | 'witnessAgeIfUnder18'
  | 'witnessOccupation'
  | 'statementText'
  | 'pageCount'
  | 'declarationText'
  | 'declarationAcknowledged'
  | 'readOverBy'
  | 'signatureName'
  | 'signedAt'
>;

/** The signed content as it is hashed and shown: the signing time as an ISO string. */
export type SignedContentJson = Omit<SignedContent, 'signedAt'> & { signedAt: string };

export type NewStatement = SignedContent & Pick<WitnessStatement, 'contentSha256'>;

/** What the witness gives; optional fields absent when not given. */
export interface StatementInput {
  witnessName: string;
  witnessAgeIfUnder18?: number;
  witnessOccupation?: string;
  statementText: string;
  pageCount: number;
  readOverBy?: string;
  signatureName: string;
}

/** The MG11 declaration, with the page count filled in. */
export function mg11Declaration(pages: number): string {
  return (
    `This statement (consisting of ${pages} page(s) each signed by me) is true to the best of my knowledge ` +
    `and belief and I make it knowing that, if it is tendered in evidence, I shall be liable to prosecution ` +
    `if I have wilfully stated in it anything which I know to be false, or do not believe to be true.`
  );
}

export function signedContentJson(s: SignedContent): SignedContentJson {
  return {
    witnessName: s.witnessName,
    witnessAgeIfUnder18: s.witnessAgeIfUnder18,
    witnessOccupation: s.witnessOccupation,
    statementText: s.statementText,
    pageCount: s.pageCount,
    declarationText: s.declarationText,
    declarationAcknowledged: s.declarationAcknowledged,
    readOverBy: s.readOverBy,
    signatureName: s.signatureName,
    signedAt: s.signedAt.toISOString(),
  };
}

/** Signs a statement now: the s.9 declaration added, the content hashed as stored. */
export function signStatement(input: StatementInput, signedAt = new Date()): NewStatement {
  const content: SignedContent = {
    witnessName: input.witnessName,
    witnessAgeIfUnder18: input.witnessAgeIfUnder18 ?? null,
    witnessOccupation: input.witnessOccupation ?? null,
    statementText: input.statementText,
    pageCount: input.pageCount,
    declarationText: mg11Declaration(input.pageCount),
    declarationAcknowledged: true,
    readOverBy: input.readOverBy ?? null,
    signatureName: input.signatureName,
    signedAt,
  };
  return { ...content, contentSha256: sha256Hex(canonicalJson(signedContentJson(content))) };
}
