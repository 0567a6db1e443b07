/// The kinds of control frames of the validation algorithm.
enum FrameKind: UInt8, Sendable {
    case function
    case block
    case loop
    case `if`
    case `else`
    case `try`
    case `catch`
    case catchAll
    case tryTable
}

/// One entry of the control stack.
struct ControlFrame: Sendable {
    var kind: FrameKind
    var parameters: [ValueType]
    var results: [ValueType]
    /// Operand stack height at entry.
    var height: Int
    /// Height of the local-initialisation stack at entry.
    var initHeight: Int
    var unreachable: Bool
    /// The instruction that opened the frame.
    var start: Int

    var labelTypes: [ValueType] { kind == .loop ? parameters : results }
}

/// Validates one instruction sequence (a function body or a constant expression) with an explicit
/// operand stack and control stack, as the specification's validation algorithm does: no recursion,
/// so nesting depth is bounded only by memory. `nil` on the operand stack is the unknown type that
/// unreachable code produces.
struct FunctionValidator {
    let context: ModuleContext
    let types: TypeContext
    /// The defined-function index, or nil for a constant expression.
    let function: Int?
    /// The item constant-expression errors are reported on.
    let owner: ModuleItem
    var locals: [ValueType] = []
    /// Per local: initialised yet (only tracked when some local is non-defaultable).
    var initialized: [Bool] = []
    var tracksInitialization = false
    var initStack: [Int] = []
    var operands: [ValueType?] = []
    var frames: [ControlFrame] = []
    var returnTypes: [ValueType] = []
    var position = 0
    /// When set, the operand stack before each instruction is kept in `stacks`.
    var recordsStacks = false
    var stacks: [[ValueType?]] = []
    /// With `recordsStacks`: only the stacks before these positions are kept, and validation
    /// stops (without an error) at the end of the window.
    var recordedWindow: Range<Int>?
    /// Constant-expression mode: only constant instructions, `global.get` of immutable globals.
    var isConstant = false
    /// Casts between unrelated types of one hierarchy (custom descriptors).
    var relaxedCasts = false
    let signatures = OperatorSignatures.table
    /// Operand-stack height and reachability of the innermost frame, kept beside `frames` for speed.
    var height = 0
    var unreachable = false
    /// In constant expressions, how many globals are visible.
    var visibleGlobals = 0

    init(context: ModuleContext, function: Int?, owner: ModuleItem) {
        self.context = context
        self.types = context.types
        self.function = function
        self.owner = owner
    }

    var item: ModuleItem {
        if let function { return .instruction(function: function, index: position) }
        return owner
    }

    func fail(_ message: String, related: [ValidationNote] = []) -> ValidationError {
        ValidationError(message, at: item, related: related)
    }

    // MARK: Running

    /// Validates a body that must leave `results` on the stack. Stops at the first error.
    mutating func run(_ body: [Instruction], results: [ValueType]) throws(ValidationError) {
        returnTypes = results
        frames.append(
            ControlFrame(kind: .function, parameters: [], results: results, height: 0, initHeight: 0, unreachable: false,
                         start: 0))
        height = 0
        unreachable = false
        operands.reserveCapacity(16)
        let count = body.count
        var index = 0
        while index < count {
            position = index
            if recordsStacks {
                if let window = recordedWindow {
                    if index >= window.upperBound { return }
                    if index >= window.lowerBound { stacks.append(operands) }
                } else {
                    stacks.append(operands)
                }
            }
            try step(body[index])
            index += 1
            if frames.isEmpty {
                guard index == count else {
                    position = index
                    throw fail("operators remaining after end of function")
                }
                return
            }
        }
        position = max(0, count - 1)
        throw fail("control frames remain at end of function: END opcode expected")
    }

    // MARK: Operand stack

    @inline(__always)
    mutating func push(_ type: ValueType) {
        operands.append(type)
    }

    @inline(__always)
    mutating func push(_ types: [ValueType]) {
        for type in types { operands.append(type) }
    }

    /// Pops an operand that must be a subtype of `expected`; returns it (nil when unknown).
    @inline(__always)
    @discardableResult
    mutating func pop(_ expected: ValueType) throws(ValidationError) -> ValueType? {
        let count = operands.count
        if count > height, let top = operands[count - 1], Self.same(top, expected) {
            operands.removeLast()
            return top
        }
        return try popSlow(expected)
    }

    /// Type equality with the common numeric cases first.
    @inline(__always)
    static func same(_ a: ValueType, _ b: ValueType) -> Bool {
        switch (a, b) {
        case (.i32, .i32), (.i64, .i64), (.f32, .f32), (.f64, .f64), (.v128, .v128): return true
        case (.ref(let x), .ref(let y)): return x == y
        default: return false
        }
    }

    mutating func popSlow(_ expected: ValueType) throws(ValidationError) -> ValueType? {
        if operands.count == height {
            if unreachable { return nil }
            throw fail("type mismatch: expected \(expected.validationName) but nothing on stack")
        }
        guard let actual = operands.removeLast() else { return nil }
        guard types.isSubtype(actual, expected) else {
            throw fail("type mismatch: expected \(expected.validationName), found \(actual.validationName)")
        }
        return actual
    }

    /// Pops any operand (`drop`, `select`); nil when unknown.
    mutating func popAny() throws(ValidationError) -> ValueType? {
        if operands.count == height {
            if unreachable { return nil }
            throw fail("type mismatch: expected a type but nothing on stack")
        }
        return operands.removeLast()
    }

    /// Pops a reference; nil when unknown. A number or vector is a type mismatch.
    mutating func popReference(expected: String = "a reference type") throws(ValidationError) -> RefType? {
        let value = try popAny()
        guard let value else { return nil }
        guard case .ref(let reference) = value else {
            throw fail("type mismatch: expected \(expected), found \(value.validationName)")
        }
        return reference
    }

    /// Pops `expected` in reverse order and returns what was popped, in stack order.
    mutating func pop(_ expected: [ValueType]) throws(ValidationError) -> [ValueType?] {
        var popped = [ValueType?](repeating: nil, count: expected.count)
        var i = expected.count
        while i > 0 {
            i -= 1
            popped[i] = try pop(expected[i])
        }
        return popped
    }

    @inline(__always)
    mutating func popAll(_ expected: [ValueType]) throws(ValidationError) {
        var i = expected.count
        while i > 0 {
            i -= 1
            try pop(expected[i])
        }
    }

    // MARK: Control stack

    mutating func pushFrame(_ kind: FrameKind, parameters: [ValueType], results: [ValueType]) {
        frames.append(
            ControlFrame(kind: kind, parameters: parameters, results: results, height: operands.count,
                         initHeight: initStack.count, unreachable: false, start: position))
        height = operands.count
        unreachable = false
        push(parameters)
    }

    /// Checks that the top frame ends with exactly its results and removes it.
    mutating func popFrame() throws(ValidationError) -> ControlFrame {
        let frame = frames[frames.count - 1]
        try popAll(frame.results)
        guard operands.count == frame.height else {
            throw fail("type mismatch: values remaining on stack at end of block", related: blockNote(frame))
        }
        frames.removeLast()
        if let outer = frames.last {
            height = outer.height
            unreachable = outer.unreachable
        }
        if tracksInitialization {
            while initStack.count > frame.initHeight {
                initialized[initStack.removeLast()] = false
            }
        }
        return frame
    }

    func blockNote(_ frame: ControlFrame) -> [ValidationNote] {
        guard let function, frame.kind != .function else { return [] }
        return [ValidationNote("block starts here", at: .instruction(function: function, index: frame.start))]
    }

    mutating func setUnreachable() {
        operands.removeSubrange(height...)
        frames[frames.count - 1].unreachable = true
        unreachable = true
    }

    /// The frame a branch of relative depth `depth` targets.
    func label(_ depth: UInt32) throws(ValidationError) -> ControlFrame {
        guard Int(depth) < frames.count else { throw fail("unknown label: branch depth too large") }
        return frames[frames.count - 1 - Int(depth)]
    }

    // MARK: Types of immediates

    func checkValueType(_ type: ValueType) throws(ValidationError) {
        if case .ref(let reference) = type { try checkHeapType(reference.heapType) }
    }

    func checkHeapType(_ heap: HeapType) throws(ValidationError) {
        switch heap {
        case .abstract: return
        case .concrete(let i), .exact(let i):
            guard Int(i) < types.count else { throw fail("unknown type: type index out of bounds") }
        }
    }

    static let i32Result: [ValueType] = [.i32]
    static let i64Result: [ValueType] = [.i64]
    static let f32Result: [ValueType] = [.f32]
    static let f64Result: [ValueType] = [.f64]
    static let v128Result: [ValueType] = [.v128]

    func blockSignature(_ type: BlockType) throws(ValidationError) -> (parameters: [ValueType], results: [ValueType]) {
        switch type {
        case .empty:
            return ([], [])
        case .value(let value):
            switch value {
            case .i32: return ([], Self.i32Result)
            case .i64: return ([], Self.i64Result)
            case .f32: return ([], Self.f32Result)
            case .f64: return ([], Self.f64Result)
            case .v128: return ([], Self.v128Result)
            case .ref:
                try checkValueType(value)
                return ([], [value])
            }
        case .type(let index):
            guard let function = types.functionType(index) else {
                throw fail("unknown type: type index out of bounds or not a function type")
            }
            return (function.parameters, function.results)
        }
    }

    func functionType(typeIndex index: UInt32) throws(ValidationError) -> FunctionType {
        guard Int(index) < types.count else { throw fail("unknown type: type index out of bounds") }
        guard let function = types.functionType(index) else {
            throw fail("type mismatch: type \(index) is not a function type",
                       related: [ValidationNote("type defined here", at: .type(Int(index)))])
        }
        return function
    }

    func memory(_ index: UInt32) throws(ValidationError) -> Int {
        guard Int(index) < context.memories.count else { throw fail("unknown memory \(index)") }
        return Int(index)
    }

    func table(_ index: UInt32) throws(ValidationError) -> Int {
        guard Int(index) < context.tables.count else { throw fail("unknown table \(index): table index out of bounds") }
        return Int(index)
    }

    func global(_ index: UInt32) throws(ValidationError) -> GlobalType {
        let limit = isConstant ? visibleGlobals : context.globals.count
        guard Int(index) < limit else { throw fail("unknown global \(index): global index out of bounds") }
        return context.globals[Int(index)]
    }

    func tag(_ index: UInt32) throws(ValidationError) -> FunctionType {
        guard Int(index) < context.tags.count else { throw fail("unknown tag \(index): tag index out of bounds") }
        return types.functionType(context.tags[Int(index)]) ?? FunctionType()
    }

    func dataSegment(_ index: UInt32) throws(ValidationError) {
        guard context.hasDataCount else { throw fail("data count section required") }
        guard Int(index) < context.dataCount else { throw fail("unknown data segment \(index)") }
    }

    func elementSegment(_ index: UInt32) throws(ValidationError) -> RefType {
        guard Int(index) < context.elementTypes.count else { throw fail("unknown elem segment \(index)") }
        return context.elementTypes[Int(index)]
    }

    func functionNote(_ index: UInt32) -> [ValidationNote] {
        guard Int(index) < context.functionItems.count else { return [] }
        return [ValidationNote("function \(index) declared here", at: context.functionItems[Int(index)])]
    }
}
