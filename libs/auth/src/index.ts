export * from './access-token.service';
export * from './actor';
export * from './grants';
export * from './password-hasher';
export * from './role';
export * from './secrets';
export * from './store-access';
