export * from './exclusion-letter';
export * from './gallery-briefing';
export { DESCRIPTION_LABELS, describedAs, roleWords } from './words';
