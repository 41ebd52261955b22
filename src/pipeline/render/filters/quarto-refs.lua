--[[
quarto-refs.lua: cross-references under Quarto, in the built-in renderer's words and numbers.

Named in _quarto.yml (filters:, before Quarto's own). The built-in renderer numbers the
whole book (book.lua) and render_quarto passes the result as a JSON file
(metadata "book-refs": id -> {ref, number, numbered, file}). Every @fig-/@tbl-/@sec-
reference found there becomes the same text the built-in renderer writes: "kapittel 3",
"figur 1.2", "Vedlegg C" for @Sec-…, "[-@id]" the number alone, "[Prefiks @id]" a prefix
of your own. Without the metadata (a plain `quarto render`), references are left to
Quarto. Why: Quarto 1.10 writes a chapter reference in index.qmd as the chapter's title
("3 Anbefalinger …"), ignores @Sec- for chapters in HTML, and its Typst book adds a
period after chapter numbers ("kapittel 3."); one table of numbers avoids all three.
]]

local xref = dofile(pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), "xref.lua" }))

local function read_refs(meta)
  local path = meta["book-refs"] and pandoc.utils.stringify(meta["book-refs"])
  if not path or path == "" then return nil end
  local file = io.open(path, "r")
  if not file then return nil end
  local data = file:read("a")
  file:close()
  return pandoc.json.decode(data, false)
end

local function link_target(target, id)
  -- Same page or PDF (one document): the anchor; another HTML page: its .qmd, which
  -- Quarto turns into the page's .html.
  local here = quarto.doc.input_file
  local there = pandoc.path.join({ quarto.project.directory, target.file })
  if not quarto.doc.is_format("html") or pandoc.path.normalize(here) == pandoc.path.normalize(there) then
    return "#" .. id
  end
  return pandoc.path.make_relative(there, pandoc.path.directory(here)) .. "#" .. id
end

local function resolve(refs, citation)
  local key, capital = xref.target_key(citation.id)
  local target = refs[key]
  if target == nil or not target.numbered or #citation.suffix > 0 then return nil end
  local text = xref.text(target, citation, capital)
  return pandoc.Link(text, link_target(target, key), "", { class = "quarto-xref" })
end

function Pandoc(doc)
  local refs = read_refs(doc.meta)
  if refs == nil then return nil end
  return doc:walk({
    Cite = function(cite)
      return xref.links(cite, function(citation) return resolve(refs, citation) end)
    end,
  })
end
