/** Room names: the only place they are spelled. */
export const rooms = {
  partnership: (id: string) => `partnership:${id}`,
  /** coordinators, admins and police of a partnership: they hear every alert of it */
  staff: (partnershipId: string) => `staff:${partnershipId}`,
  store: (id: string) => `store:${id}`,
  user: (id: string) => `user:${id}`,
  /** every socket of one login session (or device login), so its revocation can close them */
  session: (id: string) => `session:${id}`,
};
