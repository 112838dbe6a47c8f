/** A CSV reader for tests of the exports: fields split on commas, quoted fields with doubled quotes, no newlines inside fields. */
export function parseCsv(text: string): string[][] {
	return text.trimEnd().split(/\r?\n/).map((line) => {
		const fields: string[] = [];
		let field = '';
		let quoted = false;
		for (let i = 0; i < line.length; i++) {
			const c = line[i]!;
			if (quoted && c === '"' && line[i + 1] === '"') (field += '"'), i++;
			else if (c === '"') quoted = !quoted;
			else if (c === ',' && !quoted) fields.push(field), (field = '');
			else field += c;
		}
		fields.push(field);
		return fields;
	});
}
