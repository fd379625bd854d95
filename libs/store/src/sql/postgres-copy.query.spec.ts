import { copyField, copyFrom, copyMessages } from './postgres-copy.query';

/** The row text of CopyData messages: each message is 'd', a length counting itself, then the text. */
const textOf = (messages: Buffer[]): string =>
  messages
    .map((m) => {
      expect(m[0]).toBe(0x64);
      expect(m.readInt32BE(1)).toBe(m.length - 1);
      return m.subarray(5).toString('utf8');
    })
    .join('');

describe('copyField (COPY text format)', () => {
  it('writes NULL as \\N, numbers as node-postgres writes a parameter, and text with separators escaped', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField(0)).toBe('0');
    expect(copyField(-17)).toBe('-17');
    expect(copyField(2 ** 53 - 1)).toBe('9007199254740991');
    expect(copyField('')).toBe('');
    expect(copyField('plain {"json":[1,2]}')).toBe('plain {"json":[1,2]}');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    // text that looks like NULL or the end-of-data marker stays text
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('\\.')).toBe('\\\\.');
  });
});

describe('copyMessages', () => {
  it('frames rows as CopyData messages: tab between values, newline after each row, UTF-8 kept', () => {
    const messages = copyMessages([
      [1, 'ascii', null],
      [2, 'ünïcødé ✓ 𝄞', 'tab\there'],
      [3, '', '\\N'],
    ]);
    expect(messages).toHaveLength(1);
    expect(textOf(messages)).toBe('1\tascii\t\\N\n2\tünïcødé ✓ 𝄞\ttab\\there\n3\t\t\\\\N\n');
  });

  it('writes a lone surrogate as node-postgres does (U+FFFD, as Buffer.from gives)', () => {
    const lone = 'x\ud800y';
    expect(textOf(copyMessages([[lone]]))).toBe(`${Buffer.from(lone, 'utf8').toString('utf8')}\n`);
  });

  it('cuts a large batch into several messages at row boundaries, losing and reordering nothing', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [i, `${'é'.repeat(i % 7)}${'v'.repeat(600)}`, i % 5 === 0 ? null : `k${i}`]);
    const messages = copyMessages(rows);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.subarray(5).toString('utf8').endsWith('\n')).toBe(true);
    const lines = textOf(messages).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual(rows.map((r) => r.map(copyField).join('\t')));
  });

  it('sends nothing for no rows', () => {
    expect(copyMessages([])).toEqual([]);
  });
});

describe('copyFrom', () => {
  /** A client that submits the query to a recording connection, as node-postgres does, and answers as told. */
  const fakeClient = () => {
    const sent: Array<string | Buffer> = [];
    const connection = {
      query: (text: string) => sent.push(text),
      stream: { write: (data: Buffer) => sent.push(data) > 0, cork: jest.fn(), uncork: jest.fn() },
    };
    let submitted: any;
    return {
      sent,
      connection,
      client: { query: (q: any) => ((submitted = q), q.submit(connection)) } as any,
      answer: (reply: (q: any) => void) => reply(submitted),
    };
  };

  it('writes the statement, its data and CopyDone together, and settles with the row count on ReadyForQuery', async () => {
    const messages = copyMessages([[1], [2]]);
    const fake = fakeClient();
    const done = copyFrom(fake.client, 'COPY t (n) FROM STDIN', messages);
    expect(fake.sent).toEqual(['COPY t (n) FROM STDIN', messages[0], Buffer.from([0x63, 0, 0, 0, 4])]);
    expect(fake.connection.stream.cork).toHaveBeenCalledTimes(1);
    expect(fake.connection.stream.uncork).toHaveBeenCalledTimes(1);
    fake.answer((q) => {
      q.handleCopyInResponse(fake.connection); // sends nothing more
      q.handleCommandComplete({ text: 'COPY 2' }, fake.connection);
      q.handleReadyForQuery(fake.connection);
    });
    await expect(done).resolves.toEqual({ rowCount: 2 });
    expect(fake.sent).toHaveLength(3);
  });

  it('fails with the server error (node-postgres sends no ReadyForQuery to an errored query)', async () => {
    const fake = fakeClient();
    const done = copyFrom(fake.client, 'COPY t (n) FROM STDIN', copyMessages([[1]]));
    fake.answer((q) => q.handleError(Object.assign(new Error('duplicate key value'), { code: '23505' }), fake.connection));
    await expect(done).rejects.toMatchObject({ code: '23505' });
  });
});
