--[[
book.lua: numbers the book and resolves its cross-references, the Quarto way.

Runs once on the whole book, independent of the output format. The input document
holds one Div per chapter (class "book-chapter"; attributes file, page, kind, part)
and the metadata field "book-config" (JSON: labels, number_depth). The output is the
numbered document, plus the metadata field "book-data" (JSON) for the Python side:

  problems  constructs outside the subset: {chapter, needle, nth, message}; Python turns
            the needle (text as written in the source) into file:line
  outline   per chapter: page, kind, part, number, title, id, sections (with their text)
  anchors   id -> page of every identifier, for links across HTML pages
  targets   id -> {ref, number, numbered, file} of every referenceable id (for Quarto:
            quarto-refs.lua gives references these very words and numbers)
  images    root paths ("/report/x.svg") of every image

Numbering follows QUARTO-SUBSET.md: chapters 1..n (index.qmd and {.unnumbered} chapters
take no number), appendices A, B, ...; sections "1.2"; figures and tables per chapter
("Figur 1.2", "Tabell A.1"). Numbers are written into the text itself, so HTML and Typst
show the very same strings.
]]

local xref = dofile(pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), "xref.lua" }))
local NBSP = xref.NBSP
local CALLOUT_TYPES = { note = true, tip = true, warning = true, important = true, caution = true }
local CALLOUT_ATTRIBUTES = { title = true }
local IMAGE_ATTRIBUTES = { ["fig-alt"] = true, width = true, height = true }
local LAYOUT_ATTRIBUTES = { "layout", "layout-ncol", "layout-nrow" }
local PAGEBREAK = "quarto-pagebreak"

local labels = {}
local number_depth = 6
local problems = pandoc.List {}
local current = nil -- the chapter being walked: {index, file, page, number, ...}
local targets = {} -- id -> {ref = "Figur", number = "1.2", numbered = bool}
local anchors = {} -- id -> page
local images = pandoc.List {}
local chapters = pandoc.List {} -- outline entries, in book order

local function problem(needle, message, nth)
  problems:insert({ chapter = current.index, needle = needle, message = message, nth = nth or 1 })
end

local function text_inlines(text)
  -- " —" -> {Space, Str "—"}: a label becomes words and spaces, like Quarto's stringToInlines
  local out = pandoc.List {}
  for space, word in text:gmatch("(%s*)(%S+)") do
    if space ~= "" then out:insert(pandoc.Space()) end
    out:insert(pandoc.Str(word))
  end
  if text:match("%s$") then out:insert(pandoc.Space()) end
  return out
end

local function id_kind(id)
  -- "fig-a" -> "fig"; nil for ids outside the subset (uppercase, other prefixes, ...)
  local kind = id:match("^(%l%l%l)%-[%l%d][%l%d%-_]*$")
  if kind == "fig" or kind == "tbl" or kind == "sec" then return kind end
  return nil
end

local function check_id(id, expected, what)
  if id == "" then return false end
  local kind = id_kind(id)
  if kind == nil then
    problem("#" .. id, "id #" .. id .. " must be lowercase and start with fig-, tbl- or sec-")
    return false
  end
  if kind ~= expected then
    problem("#" .. id, "id #" .. id .. " does not fit " .. what .. " (use #" .. expected .. "-…)")
    return false
  end
  if anchors[id] then
    problem("#" .. id, "id #" .. id .. " is used twice", 2)
    return false
  end
  return true
end

local function register(id, page, target)
  anchors[id] = page
  if target then
    target.file = current.file
    targets[id] = target
  end
end

local function check_layout(attributes)
  for _, key in ipairs(LAYOUT_ATTRIBUTES) do
    if attributes[key] then
      problem(key .. "=", key .. "= (subfigure layouts) is not supported")
      return true
    end
  end
  return false
end

-- Paths ---------------------------------------------------------------------------

local function root_path(src)
  -- "/x/y.svg" stays; "fig/a.svg" in report/k1.qmd becomes "/report/fig/a.svg"
  if src:match("^%a[%w+.-]*:") then return nil end
  local base = src:sub(1, 1) == "/" and "" or pandoc.path.directory(current.file)
  local parts = pandoc.List {}
  for part in (base .. "/" .. src):gmatch("[^/]+") do
    if part == ".." then
      if #parts == 0 then return nil end
      parts:remove()
    elseif part ~= "." then
      parts:insert(part)
    end
  end
  return "/" .. table.concat(parts, "/")
end

local function use_image(image)
  if check_layout(image.attributes) then return end
  for key, _ in pairs(image.attributes) do
    if not IMAGE_ATTRIBUTES[key] then
      problem(key .. "=", "image attribute " .. key .. "= is not supported (fig-alt, width, height)")
    end
  end
  if #image.classes > 0 then
    problem("." .. image.classes[1], "image class ." .. image.classes[1] .. " is not supported")
  end
  local path = root_path(image.src)
  if path == nil then
    problem(image.src, "image " .. image.src .. " must be a file inside the project")
    return
  end
  images:insert({ chapter = current.index, path = path, needle = image.src })
  image.src = path
end

-- Headings ------------------------------------------------------------------------

local function auto_id(header)
  -- Pandoc's own identifier algorithm (auto_identifiers), made unique across the book.
  local text = pandoc.utils.stringify(header.content):gsub("[\\`*_{}%[%]#<>]", "")
  local parsed = pandoc.read("# " .. text, "markdown-smart")
  local base = (parsed.blocks[1] and parsed.blocks[1].identifier) or ""
  if base == "" then base = "section" end
  local id, n = base, 0
  while anchors[id] do
    n = n + 1
    id = base .. "-" .. n
  end
  return id
end

local function chapter_heading(header)
  local title = header.content:clone()
  if current.number == nil then return title end
  local body = pandoc.Span(title, { class = "chapter-title" })
  if current.kind == "appendix" then
    local out = text_inlines(labels["appendix-title"])
    out:insert(pandoc.Space())
    out:insert(pandoc.Span({ pandoc.Str(current.number) }, { class = "appendix-number" }))
    out:extend(text_inlines(labels["appendix-delim"]))
    out:insert(pandoc.Space())
    out:insert(body)
    return out
  end
  local number = pandoc.Span({ pandoc.Str(current.number) }, { class = "chapter-number" })
  return pandoc.List { number, pandoc.Space(), body }
end

local function section_number(header)
  if current.number == nil or header.classes:includes("unnumbered") then return nil end
  if header.level > number_depth then return nil end
  local counters = current.counters
  counters[header.level] = (counters[header.level] or 0) + 1
  for level = header.level + 1, 6 do counters[level] = 0 end
  local parts = pandoc.List { current.number }
  for level = 2, header.level do parts:insert(tostring(counters[level] or 0)) end
  return table.concat(parts, ".")
end

local function reference_for_heading(header, number)
  if header.level == 1 then
    local prefix = current.kind == "appendix" and labels["apx-prefix"] or labels["ch-prefix"]
    return { ref = prefix, number = number, numbered = number ~= nil }
  end
  return { ref = labels["sec-prefix"], number = number, numbered = number ~= nil }
end

local function Header(header)
  local explicit = header.identifier ~= ""
  if explicit then
    if not check_id(header.identifier, "sec", "a heading") then header.identifier = "" end
  end
  if header.identifier == "" then header.identifier = auto_id(header) end
  local title = pandoc.utils.stringify(header.content)
  local number
  if header.level == 1 then
    number = current.number
    header.content = chapter_heading(header)
    current.id = header.identifier
    current.title = title
  else
    number = section_number(header)
    if number then
      header.content:insert(1, pandoc.Space())
      header.content:insert(1, pandoc.Span({ pandoc.Str(number) }, { class = "header-section-number" }))
    end
  end
  register(header.identifier, current.page, explicit and reference_for_heading(header, number) or nil)
  current.sections:insert({ id = header.identifier, level = header.level, number = number or "", title = title })
  return header
end

-- Figures and tables ---------------------------------------------------------------

local function caption_prefix(caption, title, number)
  local label = pandoc.Str(title .. NBSP .. number .. labels["title-delim"])
  if #caption.long == 0 then caption.long = { pandoc.Plain({}) } end
  local first = caption.long[1]
  if first.t == "Plain" or first.t == "Para" then
    first.content:insert(1, pandoc.Space())
    first.content:insert(1, label)
  end
end

local function numbered_float(id, kind, what)
  -- Registers a figure or table; returns its number, or nil when it takes none.
  if not check_id(id, kind, what) then return nil end
  if current.number == nil then
    problem("#" .. id, what .. " #" .. id .. " sits in an unnumbered chapter, where Quarto cannot number it")
    return nil
  end
  current[kind] = current[kind] + 1
  local number = current.number .. "." .. current[kind]
  register(id, current.page, { ref = labels[kind .. "-prefix"], number = number, numbered = true })
  return number
end

local function figure_image(figure)
  local plain = figure.content[1]
  if #figure.content ~= 1 or plain.t ~= "Plain" or #plain.content ~= 1 or plain.content[1].t ~= "Image" then
    return nil
  end
  return plain.content[1]
end

local function Figure(figure)
  local image = figure_image(figure)
  if image == nil then
    problem("#" .. figure.identifier, "a figure must hold exactly one image")
    return figure, false
  end
  use_image(image)
  if image.attributes["fig-alt"] == nil then
    image.attributes["fig-alt"] = pandoc.utils.stringify(figure.caption.long)
  end
  local number = numbered_float(figure.identifier, "fig", "a figure")
  if number then caption_prefix(figure.caption, labels["fig-title"], number) end
  return figure, false
end

local function Image(image)
  -- Images outside figures: inline, or a figure without caption (not referenceable).
  if image.identifier ~= "" then
    problem("#" .. image.identifier, "#" .. image.identifier .. " needs a caption: ![Caption](path){#fig-…}")
  end
  if image.attributes["fig-alt"] == nil and pandoc.utils.stringify(image.caption) == "" then
    problem("![](" .. image.src, "image " .. image.src .. " has no alt text (fig-alt or a description)")
  end
  use_image(image)
  return image
end

local function automatic_widths(tbl)
  -- Equal widths carry no information: pandoc derives them from the separator line's
  -- dashes once a row is longer than 72 characters. Let HTML and Typst size the columns.
  local first = tbl.colspecs[1][2]
  for _, spec in ipairs(tbl.colspecs) do
    if spec[2] ~= first then return end
  end
  for i, spec in ipairs(tbl.colspecs) do
    tbl.colspecs[i] = { spec[1], pandoc.ColWidthDefault }
  end
end

local function Table(tbl)
  automatic_widths(tbl)
  if tbl.identifier == "" then return tbl end
  if #tbl.caption.long == 0 then
    problem("#" .. tbl.identifier, "table #" .. tbl.identifier .. " needs a caption line: ': Caption {#tbl-…}'")
    return tbl
  end
  local number = numbered_float(tbl.identifier, "tbl", "a table")
  if number then caption_prefix(tbl.caption, labels["tbl-title"], number) end
  return tbl
end

-- Everything else the subset allows, or refuses ----------------------------------------

local function callout_type(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(.+)$")
    if kind then return kind, class end
  end
  return nil
end

-- .content-visible/.content-hidden are decided before this filter runs (conditional.lua).
local QUARTO_CLASSES = { "^column%-", "^panel%-", "^quarto%-" }

local function plain_attr(el, what)
  -- Plain divs and spans keep their classes and ids, as in Quarto (QUARTO-SUBSET.md
  -- section 9); classes Quarto gives a meaning are refused, and so are fig-/tbl-/sec- ids,
  -- which make Quarto treat the element as a cross-referenceable float.
  for _, class in ipairs(el.classes) do
    for _, pattern in ipairs(QUARTO_CLASSES) do
      if class:match(pattern) then
        problem("." .. class, what .. " class ." .. class .. " is not supported (Quarto gives it a meaning)")
      end
    end
  end
  if el.identifier ~= "" then
    if id_kind(el.identifier) then
      problem("#" .. el.identifier, "id #" .. el.identifier .. " on " .. what .. " is not supported (Quarto would make it a cross-reference target)")
    elseif anchors[el.identifier] then
      problem("#" .. el.identifier, "id #" .. el.identifier .. " is used twice", 2)
    else
      register(el.identifier, current.page, nil)
    end
  end
end

local function Div(div)
  if check_layout(div.attributes) then return div, false end
  if div.classes:includes(PAGEBREAK) then return div end
  local kind, class = callout_type(div)
  if kind == nil then
    plain_attr(div, "a div")
    return div
  end
  if not CALLOUT_TYPES[kind] then
    problem("." .. class, "callout type ." .. class .. " is not supported")
  end
  if div.identifier ~= "" then
    problem("#" .. div.identifier, "cross-referenceable callouts (#" .. div.identifier .. ") are not supported")
  end
  for key, _ in pairs(div.attributes) do
    if not CALLOUT_ATTRIBUTES[key] then
      problem(key .. "=", "callout attribute " .. key .. "= is not supported (only title=)")
    end
  end
  div:walk({
    Header = function(h)
      problem(pandoc.utils.stringify(h.content), "a heading inside a callout is not supported (use title=)")
    end,
  })
  return div
end

local function refuse_id(what)
  return function(el)
    if el.identifier ~= "" then
      problem("#" .. el.identifier, "id #" .. el.identifier .. " on " .. what .. " is not supported")
    end
  end
end

local function Math(math)
  problem(math.text, "math is not supported")
end

local function Span(span)
  plain_attr(span, "a span")
  check_layout(span.attributes)
end

-- Cross-references and links ---------------------------------------------------------------

local function crossref_inlines(citation)
  local id = citation.id
  local key, capital = xref.target_key(id)
  if id_kind(key) == nil then
    problem("@" .. id, "citation @" .. id .. " is not supported (cross-reference ids start with fig-, tbl- or sec-)")
    return nil
  end
  local target = targets[key]
  if target == nil then
    problem("@" .. id, "cross-reference @" .. id .. " points to no figure, table or section")
    return nil
  end
  if not target.numbered then
    problem("@" .. id, "cross-reference @" .. id .. " points to an unnumbered section")
    return nil
  end
  if #citation.suffix > 0 then
    problem("@" .. id, "text after the cross-reference @" .. id .. " is not supported")
  end
  return pandoc.Link(xref.text(target, citation, capital), "#" .. key, "", { class = "quarto-xref" })
end

local function Cite(cite)
  return xref.links(cite, crossref_inlines) or cite
end

local function title_inlines(text)
  -- A callout title= is markdown, as in Quarto.
  local blocks = pandoc.read(text, "markdown-auto_identifiers").blocks
  if #blocks == 0 then return pandoc.List {} end
  return blocks[1].content
end

local function Callout(div)
  -- Normalises a callout to title + body, with the label of its type as default title;
  -- the format filters only have to style this one shape.
  local kind = callout_type(div)
  if kind == nil or not CALLOUT_TYPES[kind] then return nil end
  local title = div.attributes.title
  local inlines = title and title_inlines(title) or { pandoc.Str(labels["callout-" .. kind .. "-title"]) }
  return pandoc.Div({
    pandoc.Div({ pandoc.Plain(inlines) }, { class = "callout-title" }),
    pandoc.Div(div.content, { class = "callout-body" }),
  }, { class = "callout callout-" .. kind })
end

local function chapter_by_file(path)
  for _, chapter in ipairs(chapters) do
    if chapter.file == path then return chapter end
  end
  return nil
end

local function Link(link)
  refuse_id("a link")(link)
  local target = link.target
  local file, fragment = target:match("^([^#]*%.qmd)#?(.*)$")
  if file and not file:match("^%a[%w+.-]*:") then
    local path = root_path(file)
    local chapter = path and chapter_by_file(path:sub(2))
    if chapter == nil then
      problem(target, "link to " .. file .. ", which is not a chapter of the book")
      return link
    end
    link.target = "#" .. (fragment ~= "" and fragment or chapter.id)
  end
  local id = link.target:match("^#(.+)$")
  if id and anchors[id] == nil then
    problem("#" .. id, "link to #" .. id .. ", which no heading, figure or table has")
  end
  return link
end

-- The book -------------------------------------------------------------------------

local function block_text(block)
  -- Text of every paragraph-like leaf, space-separated (stringify would glue a caption
  -- to the next cell or paragraph).
  local parts = pandoc.List {}
  local function collect(el)
    parts:insert(pandoc.utils.stringify(el))
  end
  pandoc.Blocks({ block }):walk({ Plain = collect, Para = collect, Header = collect })
  return (table.concat(parts, " "):gsub("%s+", " "))
end

local function outline_texts(chapter, blocks)
  -- Attaches to each section the plain text below it (for the HTML search index).
  local by_id = {}
  for _, section in ipairs(chapter.sections) do
    section.text = ""
    by_id[section.id] = section
  end
  local open = nil
  for _, block in ipairs(blocks) do
    if block.t == "Header" then
      open = by_id[block.identifier]
    elseif open then
      open.text = open.text .. (open.text == "" and "" or " ") .. block_text(block)
    end
  end
end

local function begin_chapter(index, div, counts)
  local kind = div.attributes.kind
  local h1s = pandoc.List {}
  for _, block in ipairs(div.content) do
    if block.t == "Header" and block.level == 1 then h1s:insert(block) end
  end
  current = {
    index = index,
    file = div.attributes.file,
    page = div.attributes.page,
    kind = kind,
    part = div.attributes.part or "",
    counters = {},
    fig = 0,
    tbl = 0,
    sections = pandoc.List {},
  }
  if #h1s ~= 1 then
    local needle = #h1s > 1 and pandoc.utils.stringify(h1s[2].content) or ""
    problem(needle, "a chapter needs exactly one level-1 heading (# Title), found " .. #h1s)
  end
  if kind == "preface" and h1s[1] and not h1s[1].classes:includes("unnumbered") then
    -- Quarto numbers index.qmd's heading as chapter 1 unless it is marked unnumbered.
    problem(pandoc.utils.stringify(h1s[1].content),
      "the preface heading needs {.unnumbered} (Quarto would number it as chapter 1)")
  end
  local unnumbered = kind == "preface" or (h1s[1] and h1s[1].classes:includes("unnumbered"))
  if not unnumbered then
    counts[kind] = counts[kind] + 1
    current.number = kind == "appendix" and string.char(64 + counts[kind]) or tostring(counts[kind])
  end
end

local function number_chapter(index, div, counts)
  begin_chapter(index, div, counts)
  div.content = pandoc.Blocks(div.content):walk({
    traverse = "topdown",
    Header = Header,
    Figure = Figure,
    Image = Image,
    Table = Table,
    Div = Div,
    Span = Span,
    Math = Math,
    CodeBlock = refuse_id("a code block"),
    Code = refuse_id("code"),
  })
  chapters:insert({
    index = index,
    file = current.file,
    page = current.page,
    kind = current.kind,
    part = current.part,
    number = current.number or "",
    id = current.id or "",
    title = current.title or "",
    sections = current.sections,
  })
  return div
end

function Pandoc(doc)
  local config = pandoc.json.decode(pandoc.utils.stringify(doc.meta["book-config"]))
  labels = config.labels
  number_depth = config.number_depth
  local counts = { chapter = 0, appendix = 0, preface = 0 }
  local blocks = pandoc.List {}
  for index, div in ipairs(doc.blocks) do
    blocks:insert(number_chapter(index, div, counts))
  end
  for index, div in ipairs(blocks) do
    current = chapters[index]
    div.content = pandoc.Blocks(div.content):walk({ Cite = Cite, Link = Link, Div = Callout })
    outline_texts(chapters[index], div.content)
  end
  doc.blocks = blocks
  doc.meta["book-config"] = nil
  doc.meta["book-data"] = pandoc.json.encode({
    problems = problems,
    outline = chapters,
    anchors = anchors,
    images = images,
    targets = targets,
  })
  return doc
end
