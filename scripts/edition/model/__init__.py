"""Load & validate: the corpus, witnesses, printed pages, register and the fidelity gate, as objects every later
stage reads; every problem is one BuildError naming a file and line."""
