/** One training or evaluation example: a text and the intent it belongs to (`oos`: none of them). */
export interface LabelledText {
  text: string;
  intent: string;
}
