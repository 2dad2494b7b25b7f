-- Shared by bench/markov.sql: order :o with and without the null state against bench/markov_reference.py.
\set null_state true
\ir markov_check_one.sql
\set null_state false
\ir markov_check_one.sql
