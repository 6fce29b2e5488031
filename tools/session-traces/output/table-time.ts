/** An ISO 8601 time as the lookup's tables print it: UTC, to the millisecond, without `T` and `Z`. */
export const asTableTime = (iso: string): string => iso.replace('T', ' ').replace('Z', '');
