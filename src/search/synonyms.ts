/**
 * Words shoppers use for the same thing, applied the same way on every
 * database. Entries are written as a shopper types them; multi-word entries
 * ("t-shirt", "t shirt") match as phrases.
 */

/** Two-way groups: searching any member also finds the others. */
export const synonymGroups: readonly (readonly string[])[] = [
  ['t-shirt', 'tee', 'tshirt'],
  ['beanie', 'hat'],
  ['bag', 'tote'],
  ['sweater', 'jumper', 'pullover'],
  ['notebook', 'notepad', 'journal'],
  ['bottle', 'flask'],
];

/**
 * One-way: searching the key also finds the values, not the reverse (a
 * "sweatshirt" search shows hoodies; a "hoodie" search shows only hoodies).
 */
export const oneWaySynonyms: Readonly<Record<string, readonly string[]>> = {
  sweatshirt: ['hoodie'],
  hoody: ['hoodie'],
  cup: ['mug'],
  present: ['gift'],
  thermos: ['tumbler', 'flask'],
  hat: ['cap'],
  colour: ['color'],
  color: ['colour'],
  grey: ['gray'],
  gray: ['grey'],
};
