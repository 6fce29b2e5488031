/** Length limits: strings, and the strings inside JSON-shaped values, cut to a limit with a mark. */
export { cutMark, cutText, cutValue } from './cut-value.ts';
