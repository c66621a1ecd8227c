"""The chapter's pages: the chapter, its claims, the queries pages ask and their renderers."""
