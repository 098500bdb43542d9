// CLI: writes the USE-lite tokenizer.json converted from the npm vocab (npm run build:tokenizer -- [out.json]).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { buildUseLiteTokenizerJson, readUseLiteVocab, TextTokenizer } from '../src/tokenize';

const out = resolve(process.argv[2] ?? 'models/use-lite/tokenizer.json');
const json = buildUseLiteTokenizerJson(await readUseLiteVocab());
// Loading it back catches a conversion the native library would reject before anyone ships it.
const check = await TextTokenizer.create({ tokenizerJson: json });
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(json)}\n`);
console.log(`wrote ${out} (Unigram, ${check.vocabSize} pieces)`);
