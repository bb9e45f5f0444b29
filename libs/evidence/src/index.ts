export * from './canonical-json';
export * from './chain';
export * from './fork';
export * from './generator';
export * from './layout';
export * from './plan';
export * from './signing';
export * from './sums';
export { VERIFY_MJS } from './verify-script';
