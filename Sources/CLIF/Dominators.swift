/// The dominator tree of a function's blocks (indices in layout order), computed with the
/// Cooper–Harvey–Kennedy iteration over reverse postorder; the DFS uses an explicit stack.
struct Dominators {
    /// Immediate dominator per block; -1 for the entry and for unreachable blocks.
    private(set) var idom: [Int] = []
    private(set) var reachable: [Bool] = []
    private var order: [Int] = []
    /// Pre- and post-order numbers in the dominator tree, for constant-time dominance queries.
    private var treeEnter: [Int] = []
    private var treeExit: [Int] = []

    init(function: Function, blockIndex: [UInt32: Int]) {
        let count = function.blocks.count
        guard count > 0 else { return }
        var successors: [[Int]] = Array(repeating: [], count: count)
        var predecessors: [[Int]] = Array(repeating: [], count: count)
        for index in function.blocks.indices {
            for instructionIndex in function.blocks[index].instructions.indices
            where function.blocks[index].instructions[instructionIndex].opcode.info.properties.contains(.branch) {
                for destination in function.blocks[index].instructions[instructionIndex].destinations {
                    guard let target = blockIndex[destination.block.number] else { continue }
                    successors[index].append(target)
                    predecessors[target].append(index)
                }
            }
        }
        reachable = Array(repeating: false, count: count)
        var postorder: [Int] = []
        var stack: [(block: Int, next: Int)] = [(0, 0)]
        reachable[0] = true
        while let top = stack.last {
            if top.next < successors[top.block].count {
                stack[stack.count - 1].next += 1
                let successor = successors[top.block][top.next]
                if !reachable[successor] {
                    reachable[successor] = true
                    stack.append((successor, 0))
                }
            } else {
                postorder.append(top.block)
                stack.removeLast()
            }
        }
        order = Array(repeating: -1, count: count)
        for (position, block) in postorder.enumerated() { order[block] = position }
        idom = Array(repeating: -1, count: count)
        idom[0] = 0
        var changed = true
        while changed {
            changed = false
            for block in postorder.reversed() where block != 0 {
                var candidate = -1
                for predecessor in predecessors[block] where reachable[predecessor] && idom[predecessor] != -1 {
                    candidate = candidate == -1 ? predecessor : intersect(candidate, predecessor)
                }
                if candidate != -1 && idom[block] != candidate {
                    idom[block] = candidate
                    changed = true
                }
            }
        }
        idom[0] = -1
        numberTree(count: count)
    }

    private mutating func numberTree(count: Int) {
        var children: [[Int]] = Array(repeating: [], count: count)
        for block in 0..<count where idom[block] >= 0 { children[idom[block]].append(block) }
        treeEnter = Array(repeating: -1, count: count)
        treeExit = Array(repeating: -1, count: count)
        var clock = 0
        var stack: [(block: Int, next: Int)] = [(0, 0)]
        treeEnter[0] = clock
        clock += 1
        while let top = stack.last {
            if top.next < children[top.block].count {
                stack[stack.count - 1].next += 1
                let child = children[top.block][top.next]
                treeEnter[child] = clock
                clock += 1
                stack.append((child, 0))
            } else {
                treeExit[top.block] = clock
                clock += 1
                stack.removeLast()
            }
        }
    }

    private func intersect(_ a: Int, _ b: Int) -> Int {
        var x = a
        var y = b
        while x != y {
            while order[x] < order[y] { x = idom[x] == -1 ? 0 : idom[x] }
            while order[y] < order[x] { y = idom[y] == -1 ? 0 : idom[y] }
        }
        return x
    }

    func isReachable(_ block: Int) -> Bool { block < reachable.count && reachable[block] }

    /// Whether block `a` dominates block `b` (every block dominates itself).
    func dominates(_ a: Int, _ b: Int) -> Bool {
        guard isReachable(b), isReachable(a) else { return false }
        return treeEnter[a] <= treeEnter[b] && treeExit[b] <= treeExit[a]
    }
}
