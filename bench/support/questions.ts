/** Customer questions the web and channel benches ask the demo shop (English and Chinese, answerable). */
export const DEMO_QUESTIONS = [
  'How long does delivery take?',
  'can i return a shirt i wore once',
  'which payment methods do you accept',
  'how do I get a VAT invoice',
  '退货政策是什么？',
  '包裹三天了还没到',
  '怎么开发票',
  'my refund has not arrived yet',
];
