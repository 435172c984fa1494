CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);
INSERT INTO notes (body) VALUES
  ('Created by neon-edge/vite on the first vite dev'),
  ('Read on the dev server through neon-edge/postgres; the browser only sees JSON'),
  ('Claim the database within its expiry to keep it: the link is in .env');
