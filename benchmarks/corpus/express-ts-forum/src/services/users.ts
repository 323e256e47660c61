export interface User {
  id: string;
  email: string;
  name: string;
}

const users = new Map<string, User>();

export async function findUserById(id: string): Promise<User | undefined> {
  return users.get(id);
}

export async function findUserByEmail(email: string): Promise<User | undefined> {
  return [...users.values()].find((u) => u.email === email);
}
