"""The models: a character GPT, a masked LM, Kneser-Ney n-grams and skip-gram Word2Vec."""
