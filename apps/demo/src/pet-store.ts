import { HttpException, HttpStatus, Injectable } from '@nestjs/common';

/** A pet, as in API Gateway's PetStore sample API. */
export interface Pet {
  id: number;
  type: string;
  price: number;
}

const SEED: readonly Pet[] = [
  { id: 1, type: 'dog', price: 249.99 },
  { id: 2, type: 'cat', price: 124.99 },
  { id: 3, type: 'fish', price: 0.99 },
];

/** Most pets kept: the demo is public, so its memory stays bounded (oldest added pet goes first). */
export const MAX_PETS = 100;

/**
 * The demo's in-memory pet store (per application instance, so tests stay independent).
 * Not-found answers use a plain `HttpException(404)`, not `NotFoundException`, so the
 * missing-route filter (PIPE-02) only sees unknown routes.
 */
@Injectable()
export class PetStore {
  private readonly pets = new Map<number, Pet>(SEED.map((p) => [p.id, { ...p }]));
  private nextId = SEED.length + 1;

  list(): Pet[] {
    return [...this.pets.values()];
  }

  /** @throws HttpException 404 when there is no such pet. */
  get(idText: string): Pet {
    const pet = this.pets.get(parseId(idText));
    if (!pet) throw new HttpException({ message: 'Pet not found' }, HttpStatus.NOT_FOUND);
    return pet;
  }

  /** @throws HttpException 400 when the body is not `{ type: string, price: number }`. */
  create(body: unknown): Pet {
    const input = body as Partial<Pet> | null | undefined;
    if (
      typeof input !== 'object' ||
      input === null ||
      typeof input.type !== 'string' ||
      input.type.length === 0 ||
      input.type.length > 64 ||
      typeof input.price !== 'number' ||
      !Number.isFinite(input.price) ||
      input.price < 0
    ) {
      throw new HttpException(
        { message: 'Invalid request body: expected {"type": string, "price": number >= 0}' },
        HttpStatus.BAD_REQUEST,
      );
    }
    const pet: Pet = { id: this.nextId++, type: input.type, price: input.price };
    if (this.pets.size >= MAX_PETS) {
      const oldestAdded = [...this.pets.keys()].find((id) => id > SEED.length);
      this.pets.delete(oldestAdded ?? (this.pets.keys().next().value as number));
    }
    this.pets.set(pet.id, pet);
    return pet;
  }

  /** @throws HttpException 404 when there is no such pet. */
  remove(idText: string): Pet {
    const pet = this.get(idText);
    this.pets.delete(pet.id);
    return pet;
  }
}

function parseId(text: string): number {
  return /^\d{1,9}$/.test(text) ? Number(text) : -1;
}
