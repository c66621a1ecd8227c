"""The chapter's pages: the chapter itself, its claims, the queries pages ask and their renderers."""
