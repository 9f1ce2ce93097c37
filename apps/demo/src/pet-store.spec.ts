import { HttpException } from '@nestjs/common';
import { MAX_PETS, PetStore } from './pet-store';

describe('PetStore (the demo data)', () => {
  it('lists the seeded pets, gets, creates and removes', () => {
    const store = new PetStore();
    expect(store.list().map((p) => p.type)).toEqual(['dog', 'cat', 'fish']);
    expect(store.get('2')).toMatchObject({ type: 'cat' });
    const created = store.create({ type: 'bird', price: 15.5 });
    expect(created).toEqual({ id: 4, type: 'bird', price: 15.5 });
    expect(store.remove('4')).toEqual(created);
    expect(() => store.get('4')).toThrow(HttpException);
  });

  it.each([
    null,
    'x',
    {},
    { type: '', price: 1 },
    { type: 'cat', price: -1 },
    { type: 'cat', price: 'free' },
  ])('rejects the body %j with 400', (body) => {
    expect(() => new PetStore().create(body)).toThrow(
      expect.objectContaining({ status: 400 }) as Error,
    );
  });

  it('treats ids that are not small integers as unknown (404)', () => {
    for (const id of ['abc', '1e3', '-1', '9'.repeat(20)]) {
      expect(() => new PetStore().get(id)).toThrow(
        expect.objectContaining({ status: 404 }) as Error,
      );
    }
  });

  it(`keeps at most ${MAX_PETS} pets: the oldest added one goes first, the seed stays`, () => {
    const store = new PetStore();
    for (let i = 0; i < MAX_PETS * 3; i++) store.create({ type: `t${i}`, price: i });
    const pets = store.list();
    expect(pets).toHaveLength(MAX_PETS);
    expect(pets.slice(0, 3).map((p) => p.id)).toEqual([1, 2, 3]);
    expect(pets[pets.length - 1]?.type).toBe(`t${MAX_PETS * 3 - 1}`);
  });
});
