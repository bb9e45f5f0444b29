/** Room names: the only place they are spelled. */
export const rooms = {
  partnership: (id: string) => `partnership:${id}`,
  store: (id: string) => `store:${id}`,
  user: (id: string) => `user:${id}`,
};
